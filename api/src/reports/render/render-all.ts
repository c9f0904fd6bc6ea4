import type { RenderedReport } from '../channels/channel.types.js';
import type { ReportModel } from '../report.model.js';
import { renderMarkdown } from './markdown.renderer.js';

export function renderAll(id: string, model: ReportModel): RenderedReport {
  return { id, model, markdown: renderMarkdown(model) };
}
