/**
 * Follows one run's journal for the dashboard: folds every line into the run state, the spend meter
 * (what `status` and the budgets count) and the spend series (the chart), and keeps the last rows of
 * activity. The end of a large journal is shown at once; the fold reads the rest in bounded chunks,
 * yielding between them, so a 1 GB journal neither blocks the server nor sits in memory.
 */
import path from "node:path";
import { parseJsonObject } from "../core/jsonl.ts";
import type { CheckResult, FailureInfo } from "../core/loop-events.ts";
import { emptyState, foldLine, type RunState } from "../core/run-state.ts";
import { SpendSeries } from "../core/spend-series.ts";
import type { Prices } from "../cost/price-table.ts";
import { SpendMeter } from "../loop/spend.ts";
import { lastLines, readLinesFrom, type TailRead } from "../store/file-tail.ts";
import { type RunInfo, readRunInfo } from "../store/run-journal.ts";
import { type FeedItem, feedItem } from "./feed.ts";

/** Rows of activity kept for a page that connects. */
export const FEED_KEEP = 400;
/** How much of a journal's end is shown before the fold has read it all. */
const TAIL_BYTES = 512 << 10;
/**
 * Bytes read at a time. Small, so that what one read makes (the lines, their parsed objects) dies young:
 * 4 MB chunks let V8's young generation grow to its largest (~128 MB) on a 1 GB journal.
 */
const CHUNK = 256 << 10;
/**
 * Lines before the tail shown at the start make no row: only their fields are folded (times, ids, usage,
 * steps, one-line summaries), so their strings are cut at 1 KB before they are decoded and parsed: most of
 * a journal's bytes are tool output, and parsing it whole made most of the fold's garbage. (A verification
 * failure's `tail` from those lines reaches the task board cut too; the page shows its summary.)
 */
const FOLD_KEEP = 1 << 10;

export interface TaskEvidence {
  iterations: number;
  verify: { passed: boolean; results: CheckResult[]; failure: FailureInfo | null } | null;
  /** The checkpoint commit that completed it. */
  sha: string | null;
}

export class RunFollow {
  readonly id: string;
  readonly info: RunInfo | null;
  readonly file: string;
  state: RunState = emptyState();
  /** Lines taken so far (the next line's number). */
  lines = 0;
  badLines = 0;
  /** Whether the fold has caught up with the end of the journal. */
  ready = false;
  /** Bytes of the journal folded. */
  offset = 0;
  /** Size of the journal when following began (for progress). */
  readonly startSize: number;
  private meter: SpendMeter | null = null;
  private series: SpendSeries | null = null;
  private readonly prices: Prices;
  readonly feed: FeedItem[] = [];
  readonly evidence = new Map<string, TaskEvidence>();
  /** The feed was filled from the journal's end; rows of lines before `tailEnd` are not added again. */
  private tailEnd = 0;
  private closed = false;

  constructor(repo: string, id: string, prices: Prices, size: number) {
    this.id = id;
    this.info = readRunInfo(repo, id);
    this.file = path.join(repo, ".longrun", "runs", id, "events.jsonl");
    this.prices = prices;
    this.startSize = size;
    if (size > TAIL_BYTES) {
      const t = lastLines(this.file, TAIL_BYTES);
      const rows: FeedItem[] = [];
      for (const l of t.lines) {
        const o = parseJsonObject(l);
        const row = o && feedItem(o, 0);
        if (row) rows.push(row);
      }
      // Their line numbers are not known yet: numbered back from -1, so each row still has its own.
      rows.forEach((row, i) => {
        row.n = i - rows.length;
        this.pushFeed(row);
      });
      this.tailEnd = t.end;
    }
  }

  /**
   * Fold the journal up to its current end, yielding between chunks. Calls `onRows` for new rows once
   * caught up, and `collect.run` each time another `collect.every` bytes have been read.
   */
  async catchUp(
    onRows: (rows: FeedItem[]) => void = () => {},
    collect?: { every: number; run: () => void },
  ): Promise<void> {
    let collected = this.offset;
    for (;;) {
      if (this.closed) return;
      if (collect && this.offset - collected >= collect.every) {
        collected = this.offset;
        collect.run();
      }
      const r = this.read();
      if (r.shrunk) throw new Error(`${this.file} got shorter while it was read`);
      const rows = this.take(r.lines, r.offset);
      if (rows.length) onRows(rows);
      if (!r.more) break;
      await new Promise((res) => setImmediate(res));
    }
    this.ready = true;
  }

  /** New complete lines since the last call, folded; returns the new activity rows. */
  poll(): { rows: FeedItem[]; shrunk: boolean } {
    if (!this.ready || this.closed) return { rows: [], shrunk: false };
    const rows: FeedItem[] = [];
    for (;;) {
      const r = this.read();
      if (r.shrunk) return { rows, shrunk: true };
      rows.push(...this.take(r.lines, r.offset));
      if (!r.more) break;
    }
    return { rows, shrunk: false };
  }

  /** The next lines: up to the tail shown at the start, with their strings cut (FOLD_KEEP); then whole. */
  private read(): TailRead {
    const before = this.tailEnd - this.offset;
    if (before > 0) return readLinesFrom(this.file, this.offset, Math.min(CHUNK, before), FOLD_KEEP);
    return readLinesFrom(this.file, this.offset, CHUNK);
  }

  private take(lines: string[], endOffset: number): FeedItem[] {
    const rows: FeedItem[] = [];
    // Rows of lines inside the tail window shown at the start are in the feed already.
    let at = this.offset;
    const measure = at < this.tailEnd && endOffset > this.tailEnd;
    let showRows = at >= this.tailEnd;
    for (const l of lines) {
      if (measure) {
        showRows = at >= this.tailEnd;
        at += Buffer.byteLength(l) + 1;
      }
      if (l.trim() === "") continue;
      const o = parseJsonObject(l);
      if (!o) {
        this.badLines++;
        continue;
      }
      const n = this.lines++;
      foldLine(this.state, o);
      if (o.type === "loop") this.evidenceOf(o);
      if (o.type !== "loop") {
        this.meterFor().add(o);
        this.seriesFor().add(o);
      }
      if (showRows) {
        const row = feedItem(o, n);
        if (row) {
          rows.push(row);
          this.pushFeed(row);
        }
      }
    }
    this.offset = endOffset;
    return rows;
  }

  /** What the run showed for each task: its last verification, its checkpoint commit. */
  private evidenceOf(o: Record<string, unknown>): void {
    const task = this.state.open?.taskId ?? (typeof o.taskId === "string" ? o.taskId : null);
    if (!task) return;
    const e = this.evidence.get(task) ?? { iterations: 0, verify: null, sha: null };
    if (o.step === "iteration") e.iterations++;
    else if (o.step === "verify")
      e.verify = {
        passed: o.passed === true,
        results: (o.results as CheckResult[]) ?? [],
        failure: (o.failure as FailureInfo | null) ?? null,
      };
    else if (o.step === "complete" && typeof o.sha === "string") e.sha = o.sha;
    else return;
    this.evidence.set(task, e);
  }

  private pushFeed(row: FeedItem): void {
    this.feed.push(row);
    if (this.feed.length > FEED_KEEP * 1.5) this.feed.splice(0, this.feed.length - FEED_KEEP);
  }

  /** The declared plan covering the run (its `open` line's options), once known. */
  private plan(): string | null {
    return (this.state.options?.plan as string | null | undefined) ?? null;
  }

  private meterFor(): SpendMeter {
    this.meter ??= new SpendMeter(this.prices, this.plan());
    return this.meter;
  }

  private seriesFor(): SpendSeries {
    this.series ??= new SpendSeries(this.prices.index, this.plan());
    return this.series;
  }

  spent(): { costUSD: number | null; tokens: number } {
    return this.meter?.spent() ?? { costUSD: 0, tokens: 0 };
  }

  spend(): SpendSeries | null {
    return this.series;
  }

  recentFeed(): FeedItem[] {
    return this.feed.slice(-FEED_KEEP);
  }

  close(): void {
    this.closed = true;
  }
}
