import type { Rgba } from './png.js';

/**
 * The app's two icons, drawn in code so they can be regenerated: a check mark in a rounded square.
 * Teams wants a 192×192 full-colour icon (symbol inside the central 120×120) and a 32×32 outline
 * icon that is white on a transparent background.
 */

type Point = [number, number];

/** Distance from p to the segment a–b. */
function segmentDistance(p: Point, a: Point, b: Point): number {
  const [px, py] = p;
  const [ax, ay] = a;
  const [bx, by] = b;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Signed distance from p to a rounded square centred at c with half-size h and corner radius r. */
function roundedSquareDistance(p: Point, c: Point, h: number, r: number): number {
  const qx = Math.abs(p[0] - c[0]) - (h - r);
  const qy = Math.abs(p[1] - c[1]) - (h - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

interface Symbol {
  /** Half-size, corner radius and stroke of the rounded square, in units of the image width. */
  square: { half: number; radius: number; stroke: number };
  check: { points: [Point, Point, Point]; stroke: number };
}

/** How much of the point (in 0..1 coordinates) the symbol covers: 1 inside a stroke, else 0. */
function inside(sym: Symbol, p: Point): boolean {
  const sq = sym.square;
  if (Math.abs(roundedSquareDistance(p, [0.5, 0.5], sq.half, sq.radius)) <= sq.stroke / 2) return true;
  const [a, b, c] = sym.check.points;
  return Math.min(segmentDistance(p, a, b), segmentDistance(p, b, c)) <= sym.check.stroke / 2;
}

/** Rasterises the symbol with supersampling: coverage 0..1 per pixel. */
function coverage(size: number, sym: Symbol, samples: number): Float64Array {
  const out = new Float64Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          if (inside(sym, [(x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size])) hits++;
        }
      }
      out[y * size + x] = hits / (samples * samples);
    }
  }
  return out;
}

/** The brand colour behind the symbol: a deep public-sector blue. */
export const ACCENT = '#00347A';
const ACCENT_RGB = [0x00, 0x34, 0x7a] as const;

/** 192×192, full colour: white symbol on the accent colour, inside the central 120×120. */
export function colorIcon(): Rgba {
  const size = 192;
  const sym: Symbol = {
    square: { half: 0.28, radius: 0.07, stroke: 0.045 },
    check: {
      points: [
        [0.35, 0.51],
        [0.46, 0.62],
        [0.66, 0.39],
      ],
      stroke: 0.075,
    },
  };
  const cov = coverage(size, sym, 4);
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const c = cov[i]!;
    pixels[i * 4] = Math.round(ACCENT_RGB[0] + (255 - ACCENT_RGB[0]) * c);
    pixels[i * 4 + 1] = Math.round(ACCENT_RGB[1] + (255 - ACCENT_RGB[1]) * c);
    pixels[i * 4 + 2] = Math.round(ACCENT_RGB[2] + (255 - ACCENT_RGB[2]) * c);
    pixels[i * 4 + 3] = 255;
  }
  return { width: size, height: size, pixels };
}

/** 32×32 outline: white symbol, transparent background (edges anti-aliased through alpha only). */
export function outlineIcon(): Rgba {
  const size = 32;
  const sym: Symbol = {
    square: { half: 0.42, radius: 0.12, stroke: 0.085 },
    check: {
      points: [
        [0.28, 0.52],
        [0.44, 0.68],
        [0.73, 0.34],
      ],
      stroke: 0.12,
    },
  };
  const cov = coverage(size, sym, 8);
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const alpha = Math.round(cov[i]! * 255);
    pixels[i * 4] = 255;
    pixels[i * 4 + 1] = 255;
    pixels[i * 4 + 2] = 255;
    pixels[i * 4 + 3] = alpha;
  }
  return { width: size, height: size, pixels };
}
