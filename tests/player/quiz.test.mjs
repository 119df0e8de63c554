// Pure player logic (packager/packages/player/quiz.js) under `node --test tests/player`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Q = require("../../packager/packages/player/quiz.js");

const choice = (id, correct = false, extra = {}) => ({ id, html: `<p>${id}</p>`, correct, feedback: null, pinned: false, ...extra });

function bank() {
  const questions = [
    { id: "intro", type: "text", points: 0, prompt: "<p>Hi</p>", prompt_text: "Hi" },
    { id: "single", type: "single_choice", points: 2, prompt_text: "Pick one", shuffle: false,
      choices: [choice("a"), choice("b", true), choice("c"), choice("none", false, { pinned: true })] },
    { id: "multi", type: "multiple_response", points: 2, prompt_text: "Pick some", scoring: "partial", shuffle: false,
      choices: [choice("w", true), choice("x", true), choice("y"), choice("z")] },
    { id: "multi-aon", type: "multiple_response", points: 1, prompt_text: "All or nothing", scoring: "all_or_nothing", shuffle: false,
      choices: [choice("p", true), choice("q", true), choice("r")] },
    { id: "tf", type: "true_false", points: 1, prompt_text: "True?", answer: true },
    { id: "short", type: "short_answer", points: 1, prompt_text: "Word?",
      answers: [{ text: "Barista", case_sensitive: false }, { text: "ABC", case_sensitive: true }] },
    { id: "num", type: "numeric", points: 1, prompt_text: "Number?", value: 13.25, tolerance: 0.05, unit: null },
    { id: "range", type: "numeric", points: 1, prompt_text: "Range?", min: 2.5, max: 3.5, unit: "€" },
    { id: "essay", type: "essay", points: 5, prompt_text: "Write." },
    { id: "match", type: "matching", points: 3, prompt_text: "Match.",
      pairs: [{ html: "<p>A</p>", match: 0 }, { html: "<p>B</p>", match: 1 }, { html: "<p>C</p>", match: 2 }],
      options: ["one", "two", "three", "distractor"] },
    { id: "order", type: "ordering", points: 1, prompt_text: "Order.", items: ["<p>1</p>", "<p>2</p>", "<p>3</p>", "<p>4</p>"] },
    { id: "fill", type: "fill_in_blanks", points: 2, prompt_text: "Fill.", case_sensitive: false,
      blanks: [{ id: "milk", answers: ["steamed", "microfoam"] }, { id: "size", answers: ["small"] }] },
  ];
  return {
    fingerprint: "abcd1234", passing_score: 0.6, show_feedback: "on_submit", language: "en",
    sections: [{ id: "main", title: "All", pick: null, questions: questions.map((_, i) => i) }],
    questions,
  };
}

const byId = (data, id) => data.questions.find((q) => q.id === id);

test("single choice, true/false and ordering are all or nothing", () => {
  const d = bank();
  assert.equal(Q.score(byId(d, "single"), 1).earned, 2);
  assert.equal(Q.score(byId(d, "single"), 0).earned, 0);
  assert.equal(Q.score(byId(d, "tf"), true).correct, true);
  assert.equal(Q.score(byId(d, "tf"), false).correct, false);
  assert.equal(Q.score(byId(d, "order"), [0, 1, 2, 3]).earned, 1);
  assert.equal(Q.score(byId(d, "order"), [1, 0, 2, 3]).earned, 0);
});

test("multiple response partial: +points/#correct per right pick, minus the same per wrong pick, floor 0", () => {
  const q = byId(bank(), "multi");
  assert.equal(Q.score(q, [0, 1]).earned, 2);
  assert.equal(Q.score(q, [0]).earned, 1);
  assert.equal(Q.score(q, [0, 2]).earned, 0);
  assert.equal(Q.score(q, [0, 1, 2]).earned, 1);
  assert.equal(Q.score(q, [2, 3]).earned, 0);
  assert.equal(Q.score(q, [0]).correct, false);
  const aon = byId(bank(), "multi-aon");
  assert.equal(Q.score(aon, [0, 1]).earned, 1);
  assert.equal(Q.score(aon, [0]).earned, 0);
  assert.equal(Q.score(aon, [0, 1, 2]).earned, 0);
});

test("short answers are trimmed and case-insensitive unless case_sensitive", () => {
  const q = byId(bank(), "short");
  assert.equal(Q.score(q, "  barista ").correct, true);
  assert.equal(Q.score(q, "BARISTA").correct, true);
  assert.equal(Q.score(q, "ABC").correct, true);
  assert.equal(Q.score(q, "abc").correct, false);
  assert.equal(Q.score(q, "baristas").correct, false);
});

test("numeric answers: tolerance (with float slack), ranges inclusive, decimal comma", () => {
  const q = byId(bank(), "num");
  for (const ok of ["13.2", "13.3", "13.25", "13,25", " 13.20 "]) assert.equal(Q.score(q, ok).correct, true, ok);
  for (const bad of ["13.19", "13.31", "abc", "13.2.1", ""]) assert.equal(Q.score(q, bad).correct, false, bad);
  const r = byId(bank(), "range");
  for (const ok of ["2.5", "3.5", "3"]) assert.equal(Q.score(r, ok).correct, true, ok);
  // The slack is relative: a fixed 1e-9 took 0 (or anything tiny) for a key of 6.626e-34.
  const planck = { id: "h", type: "numeric", points: 1, value: 6.626e-34, tolerance: 0.001e-34 };
  for (const ok of ["6.626e-34", "6.625e-34", "6.627e-34"]) assert.equal(Q.score(planck, ok).correct, true, ok);
  for (const bad of ["0", "6.6e-30", "6.62e-34"]) assert.equal(Q.score(planck, bad).correct, false, bad);
  const tiny = { id: "t", type: "numeric", points: 1, min: 0, max: 1e-12 };
  for (const ok of ["0", "1e-12", "5e-13"]) assert.equal(Q.score(tiny, ok).correct, true, ok);
  for (const bad of ["5e-10", "-5e-10"]) assert.equal(Q.score(tiny, bad).correct, false, bad);
  const zero = { id: "z", type: "numeric", points: 1, value: 0, tolerance: 0 };
  assert.equal(Q.score(zero, "0").correct, true);
  assert.equal(Q.score(zero, "1e-10").correct, false);
  const third = { id: "d", type: "numeric", points: 1, value: 0.1, tolerance: 0.2 };
  for (const ok of ["0.3", "-0.1"]) assert.equal(Q.score(third, ok).correct, true, ok);
  for (const bad of ["2.49", "3.51"]) assert.equal(Q.score(r, bad).correct, false, bad);
  // A few units in the last place, not 1e-9 of the key: that took 1073741825 for 2^30 and
  // 2000000001 in 1e9..2e9.
  const power = { id: "w", type: "numeric", points: 1, value: 1073741824, tolerance: 0 };
  assert.equal(Q.score(power, "1073741824").correct, true);
  for (const bad of ["1073741825", "1073741823"]) assert.equal(Q.score(power, bad).correct, false, bad);
  const wide = { id: "v", type: "numeric", points: 1, min: 1e9, max: 2e9 };
  for (const ok of ["1000000000", "2000000000"]) assert.equal(Q.score(wide, ok).correct, true, ok);
  for (const bad of ["999999999", "2000000001"]) assert.equal(Q.score(wide, bad).correct, false, bad);
  const large = { id: "l", type: "numeric", points: 1, value: 279216241.836, tolerance: 1824307.442 };
  for (const ok of ["281040549.278", "277391934.394"]) assert.equal(Q.score(large, ok).correct, true, ok);
  for (const bad of ["281040549.279", "277391934.393"]) assert.equal(Q.score(large, bad).correct, false, bad);
});

test("matching and fill-in-blanks earn points in proportion to right pairs / blanks", () => {
  const d = bank();
  const m = byId(d, "match");
  assert.equal(Q.score(m, [0, 1, 2]).earned, 3);
  assert.equal(Q.score(m, [0, 3, -1]).earned, 1);
  assert.equal(Q.score(m, [0, 3, -1]).correct, false);
  const f = byId(d, "fill");
  assert.equal(Q.score(f, ["Microfoam", " small "]).earned, 2);
  assert.equal(Q.score(f, ["steamed", "large"]).earned, 1);
  assert.equal(Q.score(f, ["", ""]).answered, false);
});

test("essays and text items are not scored", () => {
  const d = bank();
  const e = Q.score(byId(d, "essay"), "Some thoughts");
  assert.deepEqual([e.scored, e.answered, e.earned, e.max], [false, true, 0, 0]);
  assert.equal(Q.score(byId(d, "intro"), null).scored, false);
});

test("totals: essays excluded from the maximum, pass decided on the reported values", () => {
  const d = bank();
  const plan = Q.plan(d, 1);
  const right = { single: 1, multi: [0, 1], "multi-aon": [0, 1], tf: true, short: "barista", num: "13.25",
    range: "3", essay: "x", match: [0, 1, 2], order: [0, 1, 2, 3], fill: ["steamed", "small"] };
  const all = plan.order.map((qi) => right[d.questions[qi].id] ?? null);
  const t = Q.totals(d, plan.order, all);
  assert.deepEqual([t.earned, t.max, t.percent, t.scaled, t.passed, t.passed12], [15, 15, 100, 1, true, true]);
  const none = Q.totals(d, plan.order, plan.order.map(() => null));
  assert.deepEqual([none.earned, none.passed, none.passed12], [0, false, false]);
  // exactly at the pass mark passes: 9 of 15 = 60 %
  const nine = { ...right, match: [3, 3, 3], fill: null, short: "no" };
  const t9 = Q.totals(d, plan.order, plan.order.map((qi) => nine[d.questions[qi].id] ?? null));
  assert.deepEqual([t9.earned, t9.percent, t9.scaled, t9.passed, t9.passed12], [9, 60, 0.6, true, true]);
  const noPass = Q.totals({ ...d, passing_score: null }, plan.order, all);
  assert.equal(noPass.passed, null);
});

test("typed numbers grouped in thousands are read as the bank's language groups them", () => {
  // "10,000" was read as 10 (a decimal comma) in English banks: marked wrong, sent as 10.
  const cases = {
    en: { "10,000": 10000, "1,000,000": 1000000, "1,000.5": 1000.5, "-1,500": -1500,
      "13,25": 13.25, "0,125": 0.125, "1.000": 1, "10 000": 10000, "1,00,000": null },
    de: { "10,000": 10, "1.000": 1000, "1.000,5": 1000.5, "13,25": 13.25, "13.25": 13.25,
      "1,000.5": null },
  };
  try {
    for (const [lang, typed] of Object.entries(cases)) {
      Q.setLanguage(lang);
      for (const [text, value] of Object.entries(typed)) assert.equal(Q.parseNumber(text), value, `${lang} ${text}`);
    }
    Q.setLanguage("en");
    const birds = { id: "b", type: "numeric", points: 1, value: 10000, tolerance: 1000 };
    assert.equal(Q.score(birds, "10,000").correct, true);
    assert.equal(Q.interaction12(birds, "10,000").response, "10000");
    Q.setLanguage("not a language tag");
    assert.equal(Q.parseNumber("10,000"), 10000); // the browser's tags unknown: a decimal point
  } finally {
    Q.setLanguage("en");
  }
});

test("a quiz of essays only is neither passed nor failed: nothing was graded", () => {
  const d = { passing_score: 0.75, sections: [{ id: "s", pick: null, questions: [0] }],
    questions: [{ id: "e", type: "essay", points: 5, prompt_text: "Write." }] };
  for (const answer of [null, "Some thoughts"]) {
    const t = Q.totals(d, [0], [answer]);
    assert.deepEqual([t.hasScore, t.passed, t.passed12], [false, null, null]);
  }
});

test("plan: shuffles keep pinned choices in place, ordering never starts solved, picks are stable", () => {
  const d = bank();
  d.questions[1].shuffle = true;
  for (let seed = 0; seed < 50; seed++) {
    const p = Q.plan(d, seed);
    assert.equal(p.choiceOrder[1][3], 3, "pinned choice stays last");
    assert.deepEqual([...p.choiceOrder[1]].sort(), [0, 1, 2, 3]);
    assert.notDeepEqual(p.itemOrder[10], [0, 1, 2, 3]);
    assert.deepEqual(Q.plan(d, seed), p);
  }
  const picked = { ...d, sections: [{ id: "s", title: "S", pick: 3, questions: [1, 2, 3, 4, 5] }] };
  const p = Q.plan(picked, 7);
  assert.equal(p.order.length, 3);
  assert.deepEqual(p.order, [...p.order].sort((a, b) => a - b));
});

test("suspend data round-trips every response type", () => {
  const d = bank();
  const plan = Q.plan(d, 42);
  const answers = { single: 2, multi: [0, 3], tf: false, short: "a~b|c^d,e!f%g", num: "13,25", range: null,
    essay: "Line 1\nLine 2 — ünïcödé ☕", match: [3, -1, 0], order: [3, 2, 1, 0], fill: ["x,y", ""] };
  const state = {
    fingerprint: d.fingerprint, seed: 42, position: 5, done: false,
    entries: plan.order.map((qi, k) => ({ response: answers[d.questions[qi].id] ?? null, checked: k === 2, ms: k * 1500 })),
  };
  const text = Q.encodeSuspend(d, plan, state, Q.LIMIT_12);
  const back = Q.decodeSuspend(d, text);
  assert.equal(back.seed, 42);
  assert.equal(back.position, 5);
  assert.equal(back.done, false);
  back.entries.forEach((e, k) => {
    assert.deepEqual(e.response, state.entries[k].response, d.questions[plan.order[k]].id);
    assert.equal(e.checked, k === 2);
    assert.equal(e.ms, Math.round(state.entries[k].ms / 1000) * 1000);
  });
});

test("suspend data from another bank version or damaged text is ignored", () => {
  const d = bank();
  const plan = Q.plan(d, 1);
  const state = { fingerprint: d.fingerprint, seed: 1, position: 0, done: false, entries: plan.order.map(() => ({ response: null, checked: false, ms: 0 })) };
  const text = Q.encodeSuspend(d, plan, state, 0);
  assert.ok(Q.decodeSuspend(d, text));
  assert.equal(Q.decodeSuspend({ ...d, fingerprint: "ffffffff" }, text), null);
  assert.equal(Q.decodeSuspend(d, "garbage"), null);
  assert.equal(Q.decodeSuspend(d, ""), null);
  assert.equal(Q.decodeSuspend(d, text.replace(/~/g, "")), null);
});

function hundred() {
  // 100 questions cycling through every type, each answered the way a learner would.
  const kinds = bank().questions.filter((q) => q.type !== "text");
  const questions = [];
  for (let i = 0; i < 100; i++) {
    const q = JSON.parse(JSON.stringify(kinds[i % kinds.length]));
    q.id = `question-number-${i}`;
    questions.push(q);
  }
  return { ...bank(), questions, sections: [{ id: "main", title: "All", pick: null, questions: questions.map((_, i) => i) }] };
}

const typical = {
  single_choice: 2, multiple_response: [0, 1, 3], true_false: true, short_answer: "an answer of some words",
  numeric: "13.25", essay: "A short essay answer of a couple of sentences. ".repeat(2), matching: [2, 0, 1],
  ordering: [1, 0, 3, 2], fill_in_blanks: ["steamed", "small"],
};

test("a 100-question bank fully answered stays under 4,096 characters (SCORM 1.2)", () => {
  const d = hundred();
  const plan = Q.plan(d, 0xffffffff);
  const state = {
    fingerprint: d.fingerprint, seed: 0xffffffff, position: 99, done: true,
    entries: plan.order.map((qi) => ({ response: typical[d.questions[qi].type], checked: true, ms: 754000 })),
  };
  const text = Q.encodeSuspend(d, plan, state, Q.LIMIT_12);
  assert.ok(text.length < 4096, `suspend data is ${text.length} characters`);
  const back = Q.decodeSuspend(d, text);
  back.entries.forEach((e, k) => assert.deepEqual(e.response, state.entries[k].response));
});

test("long essays are shortened (stored copy only) to fit the 1.2 limit; 2004 keeps them", () => {
  const d = hundred();
  const plan = Q.plan(d, 3);
  const long = "Essay text that goes on and on. ".repeat(60);
  const state = {
    fingerprint: d.fingerprint, seed: 3, position: 0, done: false,
    entries: plan.order.map((qi) => ({ response: d.questions[qi].type === "essay" ? long : typical[d.questions[qi].type], checked: false, ms: 0 })),
  };
  const t12 = Q.encodeSuspend(d, plan, state, Q.LIMIT_12);
  assert.ok(t12.length <= 4096 && t12.length > 3000, String(t12.length));
  assert.ok(Q.decodeSuspend(d, t12));
  const t2004 = Q.encodeSuspend(d, plan, state, Q.LIMIT_2004);
  assert.ok(t2004.length < 64000);
  const back = Q.decodeSuspend(d, t2004);
  const k = plan.order.findIndex((qi) => d.questions[qi].type === "essay");
  assert.equal(back.entries[k].response, long);
});

test("SCORM 1.2 choice alphabet: single characters a-z then 0-9", () => {
  assert.equal(Q.char12(0), "a");
  assert.equal(Q.char12(25), "z");
  assert.equal(Q.char12(26), "0");
  assert.equal(Q.char12(35), "9");
  assert.equal(Q.char12(36), null);
  for (let i = 0; i < 36; i++) assert.match(Q.char12(i), /^[0-9a-z]$/);
});

test("SCORM 1.2 interaction formats", () => {
  const d = bank();
  const f = (id, r) => Q.interaction12(byId(d, id), r);
  assert.deepEqual(f("single", 1), { type: "choice", response: "b", pattern: "b" });
  assert.deepEqual(f("multi", [3, 0]), { type: "choice", response: "a,d", pattern: "a,b" });
  assert.deepEqual(f("tf", false), { type: "true-false", response: "f", pattern: "t" });
  assert.deepEqual(f("short", " Barista "), { type: "fill-in", response: "Barista", pattern: "Barista" });
  assert.deepEqual(f("num", "13,2"), { type: "numeric", response: "13.2", pattern: "13.25" });
  assert.deepEqual(f("range", "3"), { type: "fill-in", response: "3", pattern: "2.5:3.5" });
  assert.deepEqual(f("match", [1, -1, 2]), { type: "matching", response: "a.b,c.c", pattern: "a.a,b.b,c.c" });
  assert.deepEqual(f("order", [1, 0, 2, 3]), { type: "sequencing", response: "b,a,c,d", pattern: "a,b,c,d" });
  assert.deepEqual(f("fill", ["steamed", " small"]), { type: "fill-in", response: "steamed,small", pattern: "steamed,small" });
  const essay = f("essay", "x".repeat(400));
  assert.equal(essay.type, "fill-in");
  assert.equal(essay.response.length, 255);
  assert.equal(essay.pattern, null);
});

test("SCORM 2004 interaction formats", () => {
  const d = bank();
  const f = (id, r) => Q.interaction2004(byId(d, id), r);
  assert.deepEqual(f("single", 1), { type: "choice", response: "b", pattern: "b" });
  assert.deepEqual(f("multi", [3, 0]), { type: "choice", response: "w[,]z", pattern: "w[,]x" });
  assert.deepEqual(f("tf", false), { type: "true-false", response: "false", pattern: "true" });
  assert.deepEqual(f("short", "ABC"), { type: "fill-in", response: "ABC", pattern: "Barista" });
  assert.deepEqual(f("num", "13.2"), { type: "numeric", response: "13.2", pattern: "13.2[:]13.3" });
  assert.deepEqual(f("range", "3"), { type: "numeric", response: "3", pattern: "2.5[:]3.5" });
  assert.deepEqual(f("match", [1, -1, 2]), { type: "matching", response: "p1[.]o2[,]p3[.]o3", pattern: "p1[.]o1[,]p2[.]o2[,]p3[.]o3" });
  assert.deepEqual(f("order", [1, 0, 2, 3]), { type: "sequencing", response: "i2[,]i1[,]i3[,]i4", pattern: "i1[,]i2[,]i3[,]i4" });
  assert.deepEqual(f("fill", ["steamed", "small"]), { type: "fill-in", response: "steamed[,]small", pattern: "steamed[,]small" });
  assert.equal(f("essay", "Long answer").type, "long-fill-in");
  // Two blanks of one answer: a pattern holds each string once (scorm-again: 406).
  const twice = { ...byId(d, "fill"), blanks: [{ id: "a", answers: ["California"] }, { id: "b", answers: ["California"] }] };
  assert.deepEqual(Q.interaction2004(twice, ["California", "Nevada"]),
    { type: "fill-in", response: "California[,]Nevada", pattern: null });
});

test("time formats", () => {
  assert.equal(Q.timespan12(0), "0000:00:00.00");
  assert.equal(Q.timespan12(3723450), "0001:02:03.45");
  assert.equal(Q.duration2004(3723450), "PT1H2M3.45S");
  assert.equal(Q.duration2004(5000), "PT5S");
  assert.equal(Q.duration2004(0), "PT0S");
  assert.match(Q.time12(new Date(2024, 0, 2, 9, 8, 7)), /^09:08:07$/);
  assert.equal(Q.timestamp2004(new Date(Date.UTC(2024, 0, 2, 9, 8, 7, 450))), "2024-01-02T09:08:07.4Z");
  assert.equal(Q.decimal(13.25 - 0.05), "13.2");
  assert.equal(Q.decimal(1e-7), "0.0000001");
  assert.equal(Q.decimal(1e12), null);
  // Beyond 18 decimal places there is no CMIDecimal: the key 6.626e-34 was recorded as "0".
  assert.equal(Q.decimal(1.5e-15), "0.0000000000000015");
  assert.equal(Q.decimal(6.626e-34), null);
  assert.equal(Q.decimal(1.5e-18), null);
  const planck = { id: "h", type: "numeric", points: 1, value: 6.626e-34, tolerance: 1e-37 };
  assert.equal(Q.interaction12(planck, "6.626e-34").pattern, null);
  assert.equal(Q.interaction2004(planck, "6.626e-34").pattern, null);
  const tiny = { id: "t", type: "numeric", points: 1, min: 0, max: 1e-20 };
  assert.equal(Q.interaction12(tiny, "0").pattern, null);
  assert.equal(Q.interaction2004(tiny, "0").pattern, null);
});
