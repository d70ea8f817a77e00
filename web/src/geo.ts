import { area } from '@turf/area';
import type { Boundary, Position } from './api/types.ts';

/** A point as the map computes with it: longitude, latitude in degrees. */
export type LonLat = [number, number];

/** The server's positions are [lon, lat] pairs; the generated client types them as plain arrays. */
const lonLatOf = ([lon = Number.NaN, lat = Number.NaN]: Position): LonLat => [lon, lat];

export type BBox = { minLon: number; minLat: number; maxLon: number; maxLat: number };

/** Polygons of a boundary, each a list of rings. */
export function polygonsOf(boundary: Boundary): LonLat[][][] {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  return polygons.map((polygon) => polygon.map((ring) => ring.map(lonLatOf)));
}

export function boundingBox(points: LonLat[]): BBox | null {
  if (points.length === 0) return null;
  const box = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const [lon, lat] of points) {
    box.minLon = Math.min(box.minLon, lon);
    box.maxLon = Math.max(box.maxLon, lon);
    box.minLat = Math.min(box.minLat, lat);
    box.maxLat = Math.max(box.maxLat, lat);
  }
  return box;
}

export function boundaryPoints(boundary: Boundary | null): LonLat[] {
  if (!boundary) return [];
  return polygonsOf(boundary).flatMap((polygon) => polygon.flat());
}

export function boundaryCenter(boundary: Boundary | null): LonLat | null {
  const box = boundingBox(boundaryPoints(boundary));
  return box ? [(box.minLon + box.maxLon) / 2, (box.minLat + box.maxLat) / 2] : null;
}

/** Geodesic area in km², the same way the server computes `boundaryAreaKm2`. */
export function areaKm2(boundary: Boundary): number {
  return area(boundary) / 1_000_000;
}

export function formatKm2(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const number = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(number)) return String(value);
  return `${number.toLocaleString('zh-CN', { maximumFractionDigits: 4 })} 平方公里`;
}

/** Closes a clicked outline into a polygon ring (first point repeated at the end). */
export function polygonFromPoints(points: LonLat[]): Boundary | null {
  if (points.length < 3) return null;
  const first = points[0] as LonLat;
  return { type: 'Polygon', coordinates: [[...points, [first[0], first[1]]]] };
}

export class BoundaryFileError extends Error {}

const round = (value: number) => Math.round(value * 1e7) / 1e7;

function readRing(raw: unknown, where: string, notes: string[]): LonLat[] {
  if (!Array.isArray(raw)) throw new BoundaryFileError(`${where}不是坐标数组`);
  const ring: LonLat[] = raw.map((point, index) => {
    if (
      !Array.isArray(point) ||
      point.length < 2 ||
      typeof point[0] !== 'number' ||
      typeof point[1] !== 'number'
    ) {
      throw new BoundaryFileError(`${where}第 ${index + 1} 个点不是 [经度, 纬度]`);
    }
    const [lon, lat] = point as number[];
    if (Math.abs(lon as number) > 180 || Math.abs(lat as number) > 90) {
      throw new BoundaryFileError('坐标超出经纬度范围：请使用经纬度坐标（WGS84 / CGCS2000），不支持投影坐标');
    }
    return [round(lon as number), round(lat as number)];
  });
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    ring.push([first[0], first[1]]);
    notes.push('部分环未闭合，已自动补上首点');
  }
  if (ring.length < 4) throw new BoundaryFileError(`${where}至少需要 3 个不同的点`);
  return ring;
}

function readPolygon(raw: unknown, where: string, notes: string[]): LonLat[][] {
  if (!Array.isArray(raw) || raw.length === 0) throw new BoundaryFileError(`${where}没有坐标`);
  return raw.map((ring, index) =>
    readRing(ring, `${where}${index === 0 ? '外环' : `第 ${index} 个内环`}`, notes),
  );
}

function readGeometry(raw: unknown, notes: string[]): Boundary {
  const geometry = raw as { type?: unknown; coordinates?: unknown } | null;
  if (geometry?.type === 'Polygon')
    return { type: 'Polygon', coordinates: readPolygon(geometry.coordinates, '多边形', notes) };
  if (geometry?.type === 'MultiPolygon') {
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) {
      throw new BoundaryFileError('MultiPolygon 没有坐标');
    }
    return {
      type: 'MultiPolygon',
      coordinates: geometry.coordinates.map((polygon, index) =>
        readPolygon(polygon, `第 ${index + 1} 个多边形`, notes),
      ),
    };
  }
  throw new BoundaryFileError(
    `不支持的几何类型：${String(geometry?.type ?? '未知')}（须为 Polygon 或 MultiPolygon）`,
  );
}

export type ParsedBoundary = { boundary: Boundary; notes: string[] };

/** Reads an uploaded .geojson/.json: a Polygon, MultiPolygon, a Feature, or a FeatureCollection of one polygon feature. */
export function parseBoundaryFile(text: string): ParsedBoundary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BoundaryFileError('文件不是有效的 JSON');
  }
  const notes: string[] = [];
  const object = json as { type?: unknown; geometry?: unknown; features?: unknown } | null;
  let geometry: unknown = object;
  if (object?.type === 'Feature') geometry = object.geometry;
  if (object?.type === 'FeatureCollection') {
    const features = Array.isArray(object.features)
      ? (object.features as { geometry?: { type?: string } }[])
      : [];
    const polygons = features.filter(
      (f) => f?.geometry?.type === 'Polygon' || f?.geometry?.type === 'MultiPolygon',
    );
    if (polygons.length !== 1) {
      throw new BoundaryFileError(`FeatureCollection 须恰好包含 1 个面要素，实际为 ${polygons.length} 个`);
    }
    geometry = polygons[0]?.geometry;
  }
  const boundary = readGeometry(geometry, notes);
  const box = boundingBox(boundaryPoints(boundary));
  // Shanxi lies within about 110.2–114.6°E, 34.6–40.7°N.
  if (box && (box.minLon < 109.5 || box.maxLon > 115 || box.minLat < 34 || box.maxLat > 41.5)) {
    notes.push('边界不在山西省范围内，请确认坐标系是否正确');
  }
  return { boundary, notes: [...new Set(notes)] };
}
