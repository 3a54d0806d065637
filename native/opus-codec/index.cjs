/* global module, require */
'use strict';
// Loads the addon built by `node-gyp rebuild` (npm runs it on install; electron-builder rebuilds it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('./build/Release/nimbus_opus.node');
