'use strict';
// naudiodon2 calls registerHandler("crash.log") at load time; we keep crash handling to Electron's
// crashReporter and Node's own reports instead of a process-wide signal handler.
exports.registerHandler = function registerHandler() {};
exports.causeSegfault = function causeSegfault() {
  throw new Error('segfault-handler is stubbed out in Nimbus Phone');
};
