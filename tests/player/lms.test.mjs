// The LMS connection (packager/packages/player/lms.js) under `node --test tests/player`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const L = require("../../packager/packages/player/lms.js");

// A window holding a SCORM 1.2 API that records every call.
function windowWithApi() {
  const calls = [];
  const API = new Proxy({}, {
    get: (_, name) => (...args) => { calls.push(name); return name === "LMSGetLastError" ? "0" : "true"; },
  });
  const win = { API, console };
  win.parent = win;
  return { win, calls };
}

test("a SCORM package finds the LMS's API and talks to it", () => {
  const { win, calls } = windowWithApi();
  const lms = L.connect(win, "1.2");
  assert.equal(lms.mode, "lms");
  lms.start();
  lms.save("s", 0);
  assert.ok(calls.includes("LMSInitialize") && calls.includes("LMSCommit"));
});

test("a SCORM package without an LMS runs in preview mode", () => {
  const win = { console };
  win.parent = win;
  assert.equal(L.connect(win, "2004").mode, "preview");
});

test("the standalone quiz never looks for an LMS, even inside one, and sends nothing", () => {
  const { win, calls } = windowWithApi();
  const lms = L.connect(win, null);
  assert.equal(lms.mode, "standalone");
  assert.deepEqual(lms.start(), { suspend: "", location: "" });
  lms.save("s", 1);
  lms.record({ question: { id: "q", points: 1 }, response: 0, result: { scored: true, correct: true } });
  lms.complete({ hasScore: true, percent: 100, passed: true, passed12: true }, "s", 1);
  lms.leave("s", 1, true);
  assert.deepEqual(calls, []);
  assert.deepEqual(lms.log, []);
  assert.ok(lms.limit > 0);
});

test("an unknown SCORM version is an error, not a silent preview", () => {
  assert.throws(() => L.connect({}, "1.3"), /unknown SCORM version/);
});

test("SCORM 2004: a description starting with '{' is sent so the LMS cannot read a {lang=} in it", () => {
  // "{1, 2} ∪ {3}" was refused (406): a localized string may not start with "{".
  const set = {};
  const API_1484_11 = new Proxy({}, {
    get: (_, name) => (...args) => {
      if (name === "SetValue") set[args[0]] = args[1];
      return name === "GetLastError" ? "0" : name === "GetValue" ? "" : "true";
    },
  });
  const win = { API_1484_11, console };
  win.parent = win;
  const lms = L.connect(win, "2004");
  lms.start();
  lms.record({
    question: { id: "q", type: "short_answer", points: 1, prompt_text: "{1, 2} ∪ {3} has how many?",
      answers: [{ text: "3" }] },
    response: "3", result: { scored: true, correct: true }, when: new Date(0), latencyMs: 1000,
  });
  const description = Object.entries(set).find(([k]) => k.endsWith(".description"));
  assert.ok(description, JSON.stringify(set));
  assert.equal(description[1], " {1, 2} ∪ {3} has how many?");
});
