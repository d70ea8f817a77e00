import { useEffect, useMemo, useRef, useState } from 'react';
import type { Boundary } from '../api/types.ts';
import { boundaryPoints, boundingBox, type LonLat, polygonsOf } from '../geo.ts';

/** A fixed view: the centre and how many degrees of latitude fit the map's height. */
export type MapView = { center: LonLat; latSpan: number };

/** Shanxi's capital, for a map with nothing on it yet. */
export const defaultMapCenter: LonLat = [112.55, 37.87];

const METERS_PER_DEGREE_LAT = 111_320;
const gridSteps = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2];

/** A view that shows all the given points with a margin. */
export function fitView(
  points: LonLat[],
  aspect: number,
  fallbackCenter: LonLat = defaultMapCenter,
): MapView {
  const box = boundingBox(points);
  if (!box) return { center: fallbackCenter, latSpan: 0.02 };
  const center: LonLat = [(box.minLon + box.maxLon) / 2, (box.minLat + box.maxLat) / 2];
  const cos = Math.cos((center[1] * Math.PI) / 180);
  const latSpan = Math.max(box.maxLat - box.minLat, ((box.maxLon - box.minLon) * cos) / aspect) * 1.35;
  return { center, latSpan: Math.max(latSpan, 0.004) };
}

type BoundaryMapProps = {
  boundary: Boundary | null;
  /** Another outline drawn over the saved one: an uploaded file or a drawn polygon awaiting save. */
  preview?: Boundary | null;
  /** Points clicked so far in draw mode. */
  draft?: LonLat[];
  view?: MapView;
  drawing?: boolean;
  onAddPoint?: (point: LonLat) => void;
  height?: number;
  label?: string;
  testId?: string;
};

function formatDegrees(value: number, step: number, positive: string, negative: string): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  return `${Math.abs(value).toFixed(decimals)}°${value >= 0 ? positive : negative}`;
}

function niceDistance(target: number): number {
  const power = 10 ** Math.floor(Math.log10(target));
  for (const factor of [5, 2, 1]) if (factor * power <= target) return factor * power;
  return power;
}

type Point = [number, number];

/** A local equirectangular projection of the view onto a width × height pixel box. */
function projectionOf(fitted: MapView, width: number, height: number) {
  const cos = Math.cos((fitted.center[1] * Math.PI) / 180);
  const k = height / fitted.latSpan;
  const project = ([lon, lat]: LonLat): Point => [
    width / 2 + (lon - fitted.center[0]) * cos * k,
    height / 2 - (lat - fitted.center[1]) * k,
  ];
  const unproject = (x: number, y: number): LonLat => [
    Math.round((fitted.center[0] + (x - width / 2) / (cos * k)) * 1e6) / 1e6,
    Math.round((fitted.center[1] - (y - height / 2) / k) * 1e6) / 1e6,
  ];
  return { cos, k, project, unproject };
}

/** The grid lines, their labels and the scale bar for a view. */
function gridOf(fitted: MapView, width: number, height: number) {
  const { cos, k, project } = projectionOf(fitted, width, height);
  const lonSpan = width / (cos * k);
  const step = gridSteps.find((candidate) => fitted.latSpan / candidate <= 6) ?? 5;
  const minLon = fitted.center[0] - lonSpan / 2;
  const minLat = fitted.center[1] - fitted.latSpan / 2;
  const lonLines: number[] = [];
  for (let lon = Math.ceil(minLon / step) * step; lon <= minLon + lonSpan; lon += step) lonLines.push(lon);
  const latLines: number[] = [];
  for (let lat = Math.ceil(minLat / step) * step; lat <= minLat + fitted.latSpan; lat += step)
    latLines.push(lat);

  const metersPerPixel = METERS_PER_DEGREE_LAT / k;
  const scaleMeters = niceDistance(metersPerPixel * 120);
  const scalePixels = scaleMeters / metersPerPixel;
  const scaleLabel = scaleMeters >= 1000 ? `${scaleMeters / 1000} 公里` : `${scaleMeters} 米`;
  // Grid labels stay clear of the scale bar (bottom left) and the north arrow (top right).
  const lonLabels = lonLines.filter((lon) => {
    const [x] = project([lon, fitted.center[1]]);
    return x > scalePixels + 40 && x < width - 70;
  });
  const latLabels = latLines.filter((lat) => {
    const [, y] = project([fitted.center[0], lat]);
    return y > 30 && y < height - 56;
  });
  return { step, lonLines, latLines, lonLabels, latLabels, scalePixels, scaleLabel };
}

/** An SVG path of the boundary's polygons; holes are cut out by the even-odd fill rule. */
function pathOf(shape: Boundary, project: (point: LonLat) => Point): string {
  return polygonsOf(shape)
    .flatMap((polygon) =>
      polygon.map(
        (ring) =>
          `M${ring
            .map((point) =>
              project(point)
                .map((n) => n.toFixed(1))
                .join(','),
            )
            .join('L')}Z`,
      ),
    )
    .join(' ');
}

/** Follows the element's width as the layout resizes it. */
function useElementWidth(ref: React.RefObject<HTMLDivElement | null>, initial: number) {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const next = entries[0]?.contentRect.width;
      if (next && next > 0) setWidth(Math.round(next));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function MapGrid({
  fitted,
  width,
  height,
  project,
}: {
  fitted: MapView;
  width: number;
  height: number;
  project: (point: LonLat) => Point;
}) {
  const { step, lonLines, latLines, lonLabels, latLabels } = gridOf(fitted, width, height);
  return (
    <>
      <g stroke="#dfe6e3" strokeWidth={1}>
        {lonLines.map((lon) => {
          const [x] = project([lon, fitted.center[1]]);
          return <line key={`lon-${lon.toFixed(6)}`} x1={x} x2={x} y1={0} y2={height} />;
        })}
        {latLines.map((lat) => {
          const [, y] = project([fitted.center[0], lat]);
          return <line key={`lat-${lat.toFixed(6)}`} x1={0} x2={width} y1={y} y2={y} />;
        })}
      </g>
      <g fill="#8a9993" fontSize={11}>
        {lonLabels.map((lon) => {
          const [x] = project([lon, fitted.center[1]]);
          return (
            <text key={`lon-label-${lon.toFixed(6)}`} x={x + 3} y={height - 6}>
              {formatDegrees(lon, step, 'E', 'W')}
            </text>
          );
        })}
        {latLabels.map((lat) => {
          const [, y] = project([fitted.center[0], lat]);
          return (
            <text key={`lat-label-${lat.toFixed(6)}`} x={4} y={y - 3}>
              {formatDegrees(lat, step, 'N', 'S')}
            </text>
          );
        })}
      </g>
    </>
  );
}

/** The points clicked so far, joined; closed and filled once there are three. */
function DraftOutline({ draftPoints }: { draftPoints: Point[] }) {
  return (
    <g data-testid="boundary-draft">
      {draftPoints.length >= 3 && (
        <polygon
          points={draftPoints.map((p) => p.join(',')).join(' ')}
          fill="rgba(250, 140, 22, 0.16)"
          stroke="none"
        />
      )}
      <polyline
        points={[...draftPoints, ...(draftPoints.length >= 3 ? [draftPoints[0] as Point] : [])]
          .map((p) => p.join(','))
          .join(' ')}
        fill="none"
        stroke="#fa8c16"
        strokeWidth={2}
        strokeDasharray={draftPoints.length >= 3 ? undefined : '4 3'}
      />
      {draftPoints.map(([x, y], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: points are identified by their order
        <g key={index}>
          <circle cx={x} cy={y} r={5} fill="#fff" stroke="#fa8c16" strokeWidth={2} />
          <text x={x + 7} y={y - 7} fontSize={11} fill="#ad4e00">
            {index + 1}
          </text>
        </g>
      ))}
    </g>
  );
}

/** A text drawn with a white halo so it stays readable over the outline and the grid. */
function HaloText({ x, y, fontSize, fill, children, fontWeight }: React.SVGProps<SVGTextElement>) {
  return (
    <text
      x={x}
      y={y}
      textAnchor="middle"
      fontSize={fontSize}
      fontWeight={fontWeight}
      fill={fill}
      stroke="#fff"
      strokeWidth={3}
      paintOrder="stroke"
    >
      {children}
    </text>
  );
}

function NorthArrowAndScale({
  width,
  height,
  scalePixels,
  scaleLabel,
}: {
  width: number;
  height: number;
  scalePixels: number;
  scaleLabel: string;
}) {
  return (
    <>
      <g transform={`translate(${width - 44}, 18)`} fill="#50605a">
        <path d="M10 0 L18 22 L10 17 L2 22 Z" fill="#50605a" />
        <text x={10} y={36} textAnchor="middle" fontSize={12}>
          北
        </text>
      </g>
      <g transform={`translate(${16}, ${height - 34})`} data-testid="scale-bar">
        <rect x={-6} y={-16} width={scalePixels + 12} height={28} fill="rgba(255,255,255,0.85)" rx={4} />
        <path d={`M0 0 V6 H${scalePixels} V0`} fill="none" stroke="#50605a" strokeWidth={1.5} />
        <text x={scalePixels / 2} y={-4} textAnchor="middle" fontSize={11} fill="#50605a">
          {scaleLabel}
        </text>
      </g>
    </>
  );
}

/**
 * The e-town boundary on a plain lon/lat grid with a scale bar. There are no tile servers on the
 * government network, so the outline is drawn as SVG in a local equirectangular projection.
 */
export function BoundaryMap({
  boundary,
  preview,
  draft = [],
  view,
  drawing = false,
  onAddPoint,
  height = 420,
  label,
  testId = 'boundary-map',
}: BoundaryMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useElementWidth(containerRef, 800);
  const [pointer, setPointer] = useState<LonLat | null>(null);

  const fitted = useMemo(
    () =>
      view ??
      fitView([...boundaryPoints(boundary), ...boundaryPoints(preview ?? null), ...draft], width / height),
    [view, boundary, preview, draft, width, height],
  );
  const { project, unproject } = projectionOf(fitted, width, height);
  const { scalePixels, scaleLabel } = gridOf(fitted, width, height);

  const toSvgPoint = (event: React.MouseEvent<SVGSVGElement>): Point | null => {
    const svg = svgRef.current;
    const matrix = svg?.getScreenCTM();
    if (!svg || !matrix) return null;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return [point.x, point.y];
  };

  const draftPoints = draft.map(project);
  const labelAt = boundary ? project(fitted.center) : null;

  return (
    <div
      ref={containerRef}
      className={`boundary-map${drawing ? ' drawing' : ''}`}
      style={{ height }}
      data-testid={testId}
    >
      <svg
        ref={svgRef}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="e镇边界示意图"
        onClick={(event) => {
          if (!drawing || !onAddPoint) return;
          const point = toSvgPoint(event);
          if (point) onAddPoint(unproject(point[0], point[1]));
        }}
        onMouseMove={(event) => {
          const point = toSvgPoint(event);
          setPointer(point ? unproject(point[0], point[1]) : null);
        }}
        onMouseLeave={() => setPointer(null)}
        onKeyDown={(event) => {
          // Keyboard users place the point under the last pointer position with Enter.
          if (drawing && onAddPoint && pointer && event.key === 'Enter') onAddPoint(pointer);
        }}
      >
        <title>e镇边界示意图</title>
        <MapGrid fitted={fitted} width={width} height={height} project={project} />
        {boundary && (
          <path
            d={pathOf(boundary, project)}
            fill="rgba(31, 111, 92, 0.18)"
            stroke="#1f6f5c"
            strokeWidth={2}
            fillRule="evenodd"
            data-testid="boundary-shape"
          />
        )}
        {preview && (
          <path
            d={pathOf(preview, project)}
            fill="rgba(250, 140, 22, 0.16)"
            stroke="#fa8c16"
            strokeWidth={2}
            strokeDasharray="6 4"
            fillRule="evenodd"
            data-testid="boundary-preview"
          />
        )}
        {draftPoints.length > 0 && <DraftOutline draftPoints={draftPoints} />}
        {label && labelAt && (
          <HaloText x={labelAt[0]} y={labelAt[1]} fontSize={13} fontWeight={600} fill="#174f42">
            {label}
          </HaloText>
        )}
        <NorthArrowAndScale width={width} height={height} scalePixels={scalePixels} scaleLabel={scaleLabel} />
        {pointer && (
          <HaloText x={width / 2} y={16} fontSize={11} fill="#50605a">
            {pointer[0].toFixed(5)}°E，{pointer[1].toFixed(5)}°N
          </HaloText>
        )}
        {!boundary && !preview && draft.length === 0 && (
          <text x={width / 2} y={height / 2} textAnchor="middle" fontSize={14} fill="#8a9993">
            {drawing ? '在图上依次点击边界拐点' : '尚未上传边界'}
          </text>
        )}
      </svg>
    </div>
  );
}
