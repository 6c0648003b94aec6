// Checks Mermaid text with Mermaid's own parser (under jsdom, which its sanitizer needs), and for a
// Gantt chart also lets Mermaid compute every task's start and end, which is where bad dates show.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const text = readFileSync(file, 'utf8');
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const tasks = diagram.db.getTasks ? diagram.db.getTasks() : [];
    for (const t of tasks) {
      if (!(t.startTime instanceof Date) || isNaN(t.startTime) || !(t.endTime instanceof Date) || isNaN(t.endTime) || t.endTime <= t.startTime)
        throw new Error(`task "${t.task}" has no valid start and end`);
    }
    // Times from the chart's start: the earliest task starts at 00:00:00 local time, in every zone.
    const start = Math.min(...tasks.map(t => t.startTime.getTime()));
    if (tasks.length && (new Date(start).getHours() !== 0 || new Date(start).getMinutes() !== 0))
      throw new Error(`the chart starts at ${new Date(start).toString()}, not at 00:00 local time`);
    const end = tasks.length ? Math.max(...tasks.map(t => t.endTime.getTime() - start)) / 1000 : 0;
    console.log(`ok ${file}: ${diagram.type}, ${tasks.length} tasks, last end ${end}`);
  } catch (e) {
    console.log(`FAIL ${file}: ${String(e.message).split('\n').join(' ')}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
