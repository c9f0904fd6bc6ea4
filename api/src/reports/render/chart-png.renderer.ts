import { crc32, deflateSync } from 'node:zlib';
import type { HeadlineMetric } from '../report.model.js';
import {
  BAR_COLOUR,
  BASELINE_COLOUR,
  BASELINE_Y,
  CHART_PAD_X,
  CHART_HEIGHT,
  CHART_WIDTH,
  CURRENT_BAR_COLOUR,
  trendBars,
} from './chart.renderer.js';

// The trend chart as a PNG for email (Gmail and Outlook show no SVG and no data URIs): the bars
// are rectangles, so they are filled pixel by pixel at twice the size (sharp on high-density
// screens) and encoded with zlib; no image library needed.

export const PNG_SCALE = 2;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const rgb = (hex: string): [number, number, number] => [
  parseInt(hex.slice(1, 3), 16),
  parseInt(hex.slice(3, 5), 16),
  parseInt(hex.slice(5, 7), 16),
];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG of width x height pixels given row by row, 3 bytes a pixel. */
export function encodePng(width: number, height: number, pixels: Uint8Array): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function renderTrendPng(metric: HeadlineMetric): Buffer {
  const width = CHART_WIDTH * PNG_SCALE;
  const height = CHART_HEIGHT * PNG_SCALE;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, colour: string) => {
    const [r, g, b] = rgb(colour);
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(height, Math.round(y1)); y++) {
      for (let x = Math.max(0, Math.round(x0)); x < Math.min(width, Math.round(x1)); x++) {
        pixels.set([r, g, b], (y * width + x) * 3);
      }
    }
  };
  for (const bar of trendBars(metric)) {
    const s = PNG_SCALE;
    fill(
      bar.x * s,
      bar.y * s,
      (bar.x + bar.width) * s,
      (bar.y + bar.height) * s,
      bar.current ? CURRENT_BAR_COLOUR : BAR_COLOUR,
    );
  }
  fill(
    CHART_PAD_X * PNG_SCALE,
    BASELINE_Y * PNG_SCALE,
    width - CHART_PAD_X * PNG_SCALE,
    BASELINE_Y * PNG_SCALE + PNG_SCALE,
    BASELINE_COLOUR,
  );
  return encodePng(width, height, pixels);
}
