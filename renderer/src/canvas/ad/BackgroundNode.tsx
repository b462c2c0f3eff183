import { Image as KImage, Rect } from 'react-konva';
import { backgroundRects, CONTAIN_FILL } from '../../editor/ad/background-fit';
import type { BackgroundRecord } from '../../document/ad-records';

interface Props {
  width: number;
  height: number;
  record: BackgroundRecord | null;
  image: ImageBitmap | undefined;
}

/** The backdrop, fitted to the ad as its record says (the effects worker fits it the same way). */
export function BackgroundNode({ width, height, record, image }: Props) {
  const r = image && record ? backgroundRects(record.props.fit, image.width, image.height, width, height) : null;
  return (
    <>
      <Rect width={width} height={height} fill={CONTAIN_FILL} listening={false} />
      {r && record?.visible ? (
        <KImage
          image={image}
          x={r.dx}
          y={r.dy}
          width={r.dw}
          height={r.dh}
          crop={{ x: r.sx, y: r.sy, width: r.sw, height: r.sh }}
          opacity={record.opacity}
          listening={false}
        />
      ) : null}
    </>
  );
}
