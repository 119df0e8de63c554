// The player's interaction records (lms.js + quiz.js) against a real SCORM runtime: scorm-again
// from node_modules, the LMS of the browser tests. Every SetValue must be accepted, whatever
// the bank's text, and what is stored must be the bank's text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Scorm12API } from "scorm-again/scorm12";
import { Scorm2004API } from "scorm-again/scorm2004";

const require = createRequire(import.meta.url);
const Q = require("../../packager/packages/player/quiz.js");
const L = require("../../packager/packages/player/lms.js");

// One answered question recorded through lms.js into a fresh runtime: the calls it refused and
// cmi.interactions.0 as the LMS stored it.
function record(version, question, response, language = "en") {
  Q.setLanguage(language);
  const api = version === "2004" ? new Scorm2004API({ logLevel: 5 }) : new Scorm12API({ logLevel: 5 });
  const win = version === "2004" ? { API_1484_11: api } : { API: api };
  win.parent = win;
  const lms = L.connect(win, version);
  lms.start();
  lms.record({ question, response, result: Q.score(question, response), when: new Date(0), latencyMs: 1000 });
  Q.setLanguage("en");
  const stored = JSON.parse(JSON.stringify(api.cmi.interactions.childArray[0]));
  const patterns = Object.values(stored.correct_responses || {}).map((c) => c.pattern);
  return { refused: lms.log.map((e) => `${e.args.join(" = ")}: ${e.code} ${e.text}`), stored, patterns };
}

const shortAnswer = (text, extra = {}) => ({
  id: "q", type: "short_answer", points: 1, prompt_text: "Type it.",
  answers: [{ text, case_sensitive: false }], ...extra,
});
const blanks = (...keys) => ({
  id: "q", type: "fill_in_blanks", points: 1, prompt_text: "Fill.", case_sensitive: false,
  blanks: keys.map((k, i) => ({ id: `b${i}`, answers: [k] })),
});

test("SCORM 2004: a prompt starting with '{' is a description the LMS takes", () => {
  const q = { id: "set-union", type: "numeric", points: 1, value: 4, tolerance: 0,
    prompt_text: "{1, 2, 3} ∪ {3, 4} has how many elements?" };
  const r = record("2004", q, "4");
  assert.deepEqual(r.refused, []);
  // scorm-again refuses "{lang=en}{1, 2, …" in a description: the space keeps the text readable.
  assert.equal(r.stored.description, " {1, 2, 3} ∪ {3, 4} has how many elements?");
  assert.deepEqual(r.patterns, ["4[:]4"]);
});

test("SCORM 2004: a key starting with '{' is recorded exactly, after an explicit {lang=}", () => {
  let r = record("2004", shortAnswer("{}"), "{}");
  assert.deepEqual(r.refused, []);
  assert.deepEqual(r.patterns, ["{lang=en}{}"]);
  assert.equal(r.stored.learner_response, " {}");
  assert.equal(r.stored.result, "correct");

  r = record("2004", shortAnswer("{}", { answers: [{ text: "{}", case_sensitive: true }] }), "{}", "de-CH");
  assert.deepEqual(r.refused, []);
  assert.deepEqual(r.patterns, ["{case_matters=true}{lang=de-CH}{}"]);

  r = record("2004", blanks("{a}", "b"), ["{a}", "{b}"]);
  assert.deepEqual(r.refused, []);
  assert.deepEqual(r.patterns, ["{lang=en}{a}[,]b"]);
  assert.equal(r.stored.learner_response, " {a}[,] {b}");
});

test("SCORM 2004: a key starting with '{' in a language the LMS cannot name is left out", () => {
  // scorm-again knows ISO 639-1 codes (and their 639-2 twins) only.
  const r = record("2004", shortAnswer("{}"), "{}", "haw");
  assert.deepEqual(r.refused, []);
  assert.deepEqual(r.patterns, []);
  assert.equal(r.stored.result, "correct");
});

test("SCORM 2004: a response of 250 characters starting with '{' stays within the limit", () => {
  const typed = "{" + "x".repeat(300);
  const r = record("2004", shortAnswer("{}"), typed);
  assert.deepEqual(r.refused, []);
  assert.equal(r.stored.learner_response.length, 250);
});

test("SCORM 2004: more than 10 blanks, the first answered with '{', is a long-fill-in the LMS takes", () => {
  const keys = Array.from({ length: 11 }, (_, i) => `k${i}`);
  const r = record("2004", blanks(...keys), ["{x}", ...keys.slice(1)]);
  assert.deepEqual(r.refused, []);
  assert.equal(r.stored.type, "long-fill-in");
  assert.match(r.stored.learner_response, /^ \{x\} \| k1 \| /);
});

test("SCORM 2004: one string holding a comma has no pattern (the LMS would split it); the rest is recorded", () => {
  for (const key of ["y,y", "y,y,$3", "Paris, France"]) {
    const r = record("2004", shortAnswer(key), key);
    assert.deepEqual(r.refused, [], key);
    assert.deepEqual(r.patterns, [], key);
    assert.equal(r.stored.learner_response, key);
    assert.equal(r.stored.result, "correct");
  }
  const one = record("2004", blanks("y,y"), ["y,y"]);
  assert.deepEqual(one.refused, []);
  assert.deepEqual(one.patterns, []);
  // Between [,] separators a comma is plain text.
  const two = record("2004", blanks("y,y", "z"), ["y,y", "z"]);
  assert.deepEqual(two.refused, []);
  assert.deepEqual(two.patterns, ["y,y[,]z"]);
  assert.equal(two.stored.learner_response, "y,y[,]z");
});

test("SCORM 2004: a typed response the LMS would split into pieces it refuses is left out", () => {
  for (const typed of ["1,2,3,4,5,6,7,8,9,10,11", "x,{y}"]) {
    const r = record("2004", shortAnswer("z"), typed);
    assert.deepEqual(r.refused, [], typed);
    assert.equal(r.stored.learner_response, "", typed);
    assert.equal(r.stored.result, "incorrect");
    assert.deepEqual(r.patterns, ["z"]);
  }
  const numeric = { id: "q", type: "numeric", points: 1, prompt_text: "n", value: 4, tolerance: 0 };
  const r = record("2004", numeric, "1,2,3,4,5,6,7,8,9,10,11");
  assert.deepEqual(r.refused, []);
  assert.equal(r.stored.result, "incorrect");
});

test("SCORM 1.2 takes the same texts as they are", () => {
  const cases = [
    [shortAnswer("{}"), "{}"],
    [shortAnswer("y,y,$3"), "y,y,$3"],
    [shortAnswer("z"), "1,2,3,4,5,6,7,8,9,10,11"],
    [blanks("{a}", "y,y"), ["{a}", "y,y"]],
    [{ id: "q", type: "numeric", points: 1, value: 4, tolerance: 0, prompt_text: "{1} ∪ {2}" }, "4"],
  ];
  for (const [q, response] of cases) {
    const r = record("1.2", q, response);
    assert.deepEqual(r.refused, [], JSON.stringify(response));
    assert.equal(r.patterns.length, 1);
  }
  assert.deepEqual(record("1.2", shortAnswer("{}"), "{}").patterns, ["{}"]);
});
