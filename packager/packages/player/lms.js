/* lms.js: one small interface to the LMS, with a SCORM 1.2 and a SCORM 2004 adapter.
 *
 *   var lms = PackagerLMS.connect(window, "1.2" | "2004" | null);
 *   lms.mode                         "lms", "preview" (no API found: nothing is sent) or
 *                                    "standalone" (version null: a practice quiz outside any
 *                                    LMS, the HTML export; no API is searched for)
 *   lms.start()                      -> { suspend, location }   (Initialize, status incomplete)
 *   lms.save(suspend, location)      suspend data + location, exit=suspend, Commit
 *   lms.record(interaction)          one cmi.interactions.n (n counted from _count at start)
 *   lms.complete(result, suspend)    status, Commit, score (0-100), exit=normal, session time,
 *                                    Commit, Finish
 *   lms.leave(suspend, location, done)  on page unload: exit=suspend (normal once done),
 *                                    session time, Commit, Finish
 *   lms.log                          every failed call with GetLastError/GetErrorString/GetDiagnostic
 *
 * Every call's return value is checked and an error is recorded, never thrown: an LMS that
 * misbehaves must not break the quiz for the learner.
 */
(function (root, factory) {
  "use strict";
  var api = factory(root.PackagerQuiz || (typeof require === "function" ? require("./quiz.js") : null));
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.PackagerLMS = api;
  }
})(typeof self !== "undefined" ? self : this, function (Quiz) {
  "use strict";

  var MAX_TRIES = 500;

  /* The standard API search (SCORM RTE, "API discovery"): this window and its parents, then
   * the opener and its parents; bounded, and tolerant of cross-origin frames. */
  function searchUp(win, name) {
    var tries = 0;
    while (win && tries <= MAX_TRIES) {
      try {
        if (win[name]) return win[name];
      } catch (e) {
        // a cross-origin frame: keep climbing
      }
      var parent = null;
      try {
        parent = win.parent;
      } catch (e2) {
        parent = null;
      }
      if (!parent || parent === win) break;
      win = parent;
      tries += 1;
    }
    return null;
  }

  function findAPI(win, name) {
    var found = searchUp(win, name);
    if (found) return found;
    var opener = null;
    try {
      opener = win.top && win.top.opener ? win.top.opener : win.opener;
    } catch (e) {
      opener = null;
    }
    return opener ? searchUp(opener, name) : null;
  }

  var ADAPTERS = {
    "1.2": {
      version: "1.2",
      apiName: "API",
      limit: Quiz ? Quiz.LIMIT_12 : 4096,
      fn: {
        init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
        finish: "LMSFinish", error: "LMSGetLastError", errorString: "LMSGetErrorString",
        diagnostic: "LMSGetDiagnostic",
      },
      start: function (s) {
        var status = s.get("cmi.core.lesson_status");
        if (status === "" || status === "not attempted") s.set("cmi.core.lesson_status", "incomplete");
        return {
          suspend: s.get("cmi.suspend_data"),
          location: s.get("cmi.core.lesson_location"),
          count: parseInt(s.get("cmi.interactions._count"), 10) || 0,
        };
      },
      save: function (s, suspend, location) {
        s.set("cmi.suspend_data", suspend);
        s.set("cmi.core.lesson_location", String(location));
      },
      interaction: function (s, n, rec) {
        var p = "cmi.interactions." + n + ".";
        var f = Quiz.interaction12(rec.question, rec.response);
        if (!s.set(p + "id", rec.question.id)) return;
        s.set(p + "type", f.type);
        s.set(p + "time", Quiz.time12(rec.when));
        s.set(p + "weighting", Quiz.decimal(rec.question.points) || "0");
        s.set(p + "student_response", f.response === null ? "" : f.response);
        if (f.pattern !== null) s.set(p + "correct_responses.0.pattern", f.pattern);
        s.set(p + "result", rec.result.scored ? (rec.result.correct ? "correct" : "wrong") : "neutral");
        s.set(p + "latency", Quiz.timespan12(rec.latencyMs));
      },
      status: function (s, t) {
        var status = t.passed12 === null ? "completed" : (t.passed12 ? "passed" : "failed");
        s.set("cmi.core.lesson_status", status);
      },
      score: function (s, t) {
        if (!t.hasScore) return;
        s.set("cmi.core.score.min", "0");
        s.set("cmi.core.score.max", "100");
        s.set("cmi.core.score.raw", Quiz.decimal(t.percent));
      },
      exit: function (s, suspended) {
        s.set("cmi.core.exit", suspended ? "suspend" : "");
      },
      sessionTime: function (s, ms) {
        s.set("cmi.core.session_time", Quiz.timespan12(ms));
      },
    },
    "2004": {
      version: "2004",
      apiName: "API_1484_11",
      limit: Quiz ? Quiz.LIMIT_2004 : 64000,
      fn: {
        init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
        finish: "Terminate", error: "GetLastError", errorString: "GetErrorString",
        diagnostic: "GetDiagnostic",
      },
      start: function (s) {
        var status = s.get("cmi.completion_status");
        if (status === "" || status === "unknown" || status === "not attempted") {
          s.set("cmi.completion_status", "incomplete");
        }
        return {
          // 403 "not initialized" is the normal answer on a first launch
          suspend: s.get("cmi.suspend_data", ["403"]),
          location: s.get("cmi.location", ["403"]),
          count: parseInt(s.get("cmi.interactions._count"), 10) || 0,
        };
      },
      save: function (s, suspend, location) {
        s.set("cmi.suspend_data", suspend);
        s.set("cmi.location", String(location));
      },
      interaction: function (s, n, rec) {
        var p = "cmi.interactions." + n + ".";
        var f = Quiz.interaction2004(rec.question, rec.response);
        if (!s.set(p + "id", rec.question.id)) return;
        s.set(p + "type", f.type);
        s.set(p + "description", Quiz.langString(rec.question.prompt_text, 250));
        s.set(p + "timestamp", Quiz.timestamp2004(rec.when));
        s.set(p + "weighting", Quiz.decimal(rec.question.points) || "0");
        if (f.response !== "") s.set(p + "learner_response", f.response);
        if (f.pattern !== null) s.set(p + "correct_responses.0.pattern", f.pattern);
        s.set(p + "result", rec.result.scored ? (rec.result.correct ? "correct" : "incorrect") : "neutral");
        s.set(p + "latency", Quiz.duration2004(rec.latencyMs));
      },
      status: function (s, t) {
        s.set("cmi.progress_measure", "1");
        s.set("cmi.completion_status", "completed");
        s.set("cmi.success_status", t.passed === null ? "unknown" : (t.passed ? "passed" : "failed"));
      },
      // On 0-100 like SCORM 1.2: LMSs grade the raw score against their own maximum (Moodle's
      // default is 100), so raw points of an 8-point quiz would read as 8 %. The points
      // themselves are in each interaction's weighting.
      score: function (s, t) {
        if (!t.hasScore) return;
        s.set("cmi.score.min", "0");
        s.set("cmi.score.max", "100");
        s.set("cmi.score.raw", Quiz.decimal(t.percent));
        s.set("cmi.score.scaled", Quiz.decimal(t.scaled));
      },
      exit: function (s, suspended) {
        s.set("cmi.exit", suspended ? "suspend" : "normal");
      },
      sessionTime: function (s, ms) {
        s.set("cmi.session_time", Quiz.duration2004(ms));
      },
    },
  };

  /* Calls into one API object; every failure is recorded with the LMS's own error text. */
  function Caller(api, adapter, warn) {
    this.api = api;
    this.fn = adapter.fn;
    this.log = [];
    this.warn = warn;
  }

  Caller.prototype.lastError = function () {
    var code = "0";
    var text = "";
    var diagnostic = "";
    try {
      code = String(this.api[this.fn.error]());
      if (code !== "0") {
        text = String(this.api[this.fn.errorString](code));
        diagnostic = String(this.api[this.fn.diagnostic](code));
      }
    } catch (e) {
      code = code === "0" ? "exception" : code;
      text = text || String(e && e.message ? e.message : e);
    }
    return { code: code, text: text, diagnostic: diagnostic };
  };

  Caller.prototype.fail = function (call, args, error) {
    var entry = { call: call, args: args, code: error.code, text: error.text, diagnostic: error.diagnostic };
    this.log.push(entry);
    if (this.warn) this.warn("[packager player] LMS " + call + "(" + args.join(", ") + ") failed: " +
      error.code + " " + error.text + (error.diagnostic ? " (" + error.diagnostic + ")" : ""));
  };

  // A call that returns "true"/"false" (Initialize, SetValue, Commit, Finish).
  Caller.prototype.bool = function (name, args) {
    var result;
    try {
      result = this.api[this.fn[name]].apply(this.api, args);
    } catch (e) {
      this.fail(this.fn[name], args, { code: "exception", text: String(e && e.message ? e.message : e), diagnostic: "" });
      return false;
    }
    if (String(result) === "true") return true;
    this.fail(this.fn[name], args, this.lastError());
    return false;
  };

  Caller.prototype.set = function (key, value) {
    return this.bool("set", [key, String(value)]);
  };

  // GetValue returns "" on error, so the error code tells; `quiet` codes are expected ones.
  Caller.prototype.get = function (key, quiet) {
    var value;
    try {
      value = this.api[this.fn.get](key);
    } catch (e) {
      this.fail(this.fn.get, [key], { code: "exception", text: String(e && e.message ? e.message : e), diagnostic: "" });
      return "";
    }
    var error = this.lastError();
    if (error.code !== "0") {
      if (!quiet || quiet.indexOf(error.code) < 0) this.fail(this.fn.get, [key], error);
      return "";
    }
    return value === null || value === undefined ? "" : String(value);
  };

  // A quiz outside any LMS still runs through a Connection (which then sends nothing), so the
  // player has one code path; its suspend data is never sent, the limit only bounds its size.
  var STANDALONE = { version: null, apiName: null, limit: Quiz ? Quiz.LIMIT_2004 : 64000 };

  function Connection(win, adapter, api) {
    this.adapter = adapter;
    this.version = adapter.version;
    this.limit = adapter.limit;
    this.mode = api ? "lms" : (adapter === STANDALONE ? "standalone" : "preview");
    this.caller = api ? new Caller(api, adapter, win.console && win.console.warn
      ? function (m) { win.console.warn(m); } : null) : null;
    this.log = this.caller ? this.caller.log : [];
    this.open = false;
    this.started = 0;
    this.next = 0;
    this.now = function () { return Date.now(); };
  }

  Connection.prototype.start = function () {
    this.started = this.now();
    if (!this.caller) return { suspend: "", location: "" };
    this.open = this.caller.bool("init", [""]);
    if (!this.open) {
      // Some LMSs report an error on a second Initialize but keep working; carry on.
      this.open = true;
    }
    var info = this.adapter.start(this.caller);
    this.next = info.count;
    return { suspend: info.suspend, location: info.location };
  };

  Connection.prototype.save = function (suspend, location) {
    if (!this.caller || !this.open) return;
    this.adapter.save(this.caller, suspend, location);
    this.adapter.exit(this.caller, true);
    this.caller.bool("commit", [""]);
  };

  Connection.prototype.record = function (rec) {
    if (!this.caller || !this.open) return;
    this.adapter.interaction(this.caller, this.next, rec);
    this.next += 1;
  };

  // The final status is committed before the score is written: Moodle updates the gradebook
  // when the score arrives, reading the status stored at that moment, and a status changed
  // from "incomplete" afterwards triggers no update (mod/scorm/locallib.php, scorm_insert_track).
  Connection.prototype.complete = function (totals, suspend, location) {
    if (!this.caller || !this.open) return;
    this.adapter.save(this.caller, suspend, location);
    this.adapter.status(this.caller, totals);
    this.caller.bool("commit", [""]);
    this.adapter.score(this.caller, totals);
    this.adapter.exit(this.caller, false);
    this.adapter.sessionTime(this.caller, this.now() - this.started);
    this.caller.bool("commit", [""]);
    this.caller.bool("finish", [""]);
    this.open = false;
  };

  Connection.prototype.leave = function (suspend, location, done) {
    if (!this.caller || !this.open) return;
    this.adapter.save(this.caller, suspend, location);
    this.adapter.exit(this.caller, !done);
    this.adapter.sessionTime(this.caller, this.now() - this.started);
    this.caller.bool("commit", [""]);
    this.caller.bool("finish", [""]);
    this.open = false;
  };

  function connect(win, version) {
    if (version === null) return new Connection(win, STANDALONE, null);
    var adapter = ADAPTERS[version];
    if (!adapter) throw new Error("unknown SCORM version " + version);
    return new Connection(win, adapter, findAPI(win, adapter.apiName));
  }

  return { connect: connect, findAPI: findAPI, ADAPTERS: ADAPTERS, Connection: Connection };
});
