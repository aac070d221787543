/**
 * Groups threads into recurring topics by text similarity (ADR 022). Pure: no database, and the
 * text analysis is a parameter (the search analyzer in production), so the method can be tested on
 * a fixed corpus.
 *
 * 1. Each thread becomes a sparse TF-IDF vector: title terms count twice, the first part of the
 *    question's text once, and each tag is a term of its own (`#tag`) worth three, because tags are
 *    the one vocabulary shared across languages. Term frequency is sublinear (1 + ln w), vectors are
 *    L2-normalised over all their terms.
 * 2. Single-pass leader clustering with centroids: threads are visited most-viewed first; each one
 *    joins the topic whose centroid it is most similar to (cosine ≥ threshold), or starts a new
 *    topic. Candidates come from an inverted index of the centroids' terms, limited to each
 *    thread's strongest terms and to terms that are not too common (document frequency cap), so the
 *    cost grows with the number of threads, not with its square.
 * 3. Topics of two or more threads are ranked by thread count, then views.
 */

export type Tokenizer = (text: string) => string[];

export type ClusterInput = { id: string; title: string; text: string; tags: readonly string[]; views: number };

export type Topic = {
  /** Thread ids, most viewed first. */
  threadIds: string[];
  views: number;
  /** The strongest terms of the topic's centroid (analyzed forms: stems, segmented words, #tags). */
  terms: string[];
};

export type ClusterOptions = {
  /** Cosine similarity to a topic's centroid needed to join it. */
  threshold?: number;
  /** Terms per thread used to look for candidate topics. */
  termsPerThread?: number;
  /** Terms found in more than this share of the threads are not used to look for candidates. */
  maxDocumentFrequency?: number;
  /** Characters of the question's text analysed after the title. */
  bodyChars?: number;
  /** Smallest topic reported. */
  minThreads?: number;
};

export const CLUSTER_DEFAULTS: Required<ClusterOptions> = { threshold: 0.25, termsPerThread: 24, maxDocumentFrequency: 0.03, bodyChars: 400, minThreads: 2 };

const WEIGHT = { title: 2, body: 1, tag: 3 };
const CENTROID_TERMS = 80;

type Vector = Map<string, number>;

function weightedCounts(doc: ClusterInput, tokenize: Tokenizer, bodyChars: number): Vector {
  const counts: Vector = new Map();
  const add = (term: string, w: number) => counts.set(term, (counts.get(term) ?? 0) + w);
  for (const t of tokenize(doc.title)) add(t, WEIGHT.title);
  for (const t of tokenize(doc.text.slice(0, bodyChars))) add(t, WEIGHT.body);
  for (const tag of doc.tags) add(`#${tag.toLowerCase()}`, WEIGHT.tag);
  return counts;
}

function normalise(v: Vector): Vector {
  let sum = 0;
  for (const w of v.values()) sum += w * w;
  const norm = Math.sqrt(sum) || 1;
  for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

export function clusterThreads(docs: readonly ClusterInput[], tokenize: Tokenizer, options: ClusterOptions = {}): Topic[] {
  const o = { ...CLUSTER_DEFAULTS, ...options };
  const counts = docs.map((d) => weightedCounts(d, tokenize, o.bodyChars));
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  // A term in more than this many threads says little about a topic (except with a tiny corpus).
  const dfCap = Math.max(50, Math.floor(n * o.maxDocumentFrequency));

  const vectors = counts.map((c) => {
    const v: Vector = new Map();
    for (const [t, w] of c) {
      const idf = Math.log(1 + n / df.get(t)!);
      v.set(t, (1 + Math.log(w)) * idf);
    }
    return normalise(v);
  });
  // Each thread's strongest terms that another thread can share (df > 1) and that are not too common.
  const keys = vectors.map((v) =>
    [...v.entries()]
      .filter(([t]) => {
        const f = df.get(t)!;
        return f > 1 && f <= dfCap;
      })
      .sort((a, b) => b[1] - a[1])
      .slice(0, o.termsPerThread)
      .map(([t]) => t),
  );

  type Cluster = { members: number[]; sum: Vector; norm: number; views: number };
  const clusters: Cluster[] = [];
  const postings = new Map<string, number[]>(); // term → clusters whose centroid has it

  const order = docs.map((_, i) => i).sort((a, b) => docs[b]!.views - docs[a]!.views || (docs[a]!.id < docs[b]!.id ? -1 : 1));
  for (const i of order) {
    const v = vectors[i]!;
    const dots = new Map<number, number>();
    for (const t of keys[i]!) {
      const w = v.get(t)!;
      for (const c of postings.get(t) ?? []) dots.set(c, (dots.get(c) ?? 0) + w * clusters[c]!.sum.get(t)!);
    }
    let best = -1;
    let bestScore = 0;
    for (const [c, dot] of dots) {
      const score = dot / clusters[c]!.norm;
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    let target: number;
    if (best >= 0 && bestScore >= o.threshold) {
      target = best;
    } else {
      target = clusters.length;
      clusters.push({ members: [], sum: new Map(), norm: 1, views: 0 });
    }
    const cluster = clusters[target]!;
    cluster.members.push(i);
    cluster.views += docs[i]!.views;
    // The centroid is the sum of the members' vectors restricted to their key terms (its direction
    // is all that matters for the cosine); new terms enter the inverted index. A centroid holds at
    // most CENTROID_TERMS terms, so a big topic does not sit in every posting list.
    for (const t of keys[i]!) {
      const before = cluster.sum.get(t);
      if (before === undefined && cluster.sum.size >= CENTROID_TERMS) continue;
      cluster.sum.set(t, (before ?? 0) + v.get(t)!);
      if (before === undefined) {
        const list = postings.get(t);
        if (list) list.push(target);
        else postings.set(t, [target]);
      }
    }
    let sq = 0;
    for (const w of cluster.sum.values()) sq += w * w;
    cluster.norm = Math.sqrt(sq) || 1;
  }

  return clusters
    .filter((c) => c.members.length >= o.minThreads)
    .map((c) => ({
      threadIds: c.members.map((i) => docs[i]!.id),
      views: c.views,
      terms: [...c.sum.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([t]) => t),
    }))
    .sort((a, b) => b.threadIds.length - a.threadIds.length || b.views - a.views);
}
