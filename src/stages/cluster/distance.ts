/**
 * The squared Euclidean distance of the numeric core (metrics, assignment). It lives in
 * engine.ts, whose code must be self-contained because worker threads evaluate its source; this
 * module gives the rest of the stage a name to import it by.
 */
export { dist as sqDist } from './engine.js';
