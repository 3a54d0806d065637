// Loaded with --import into a forked Node child: gives it the `process.parentPort` an Electron
// utility process has (messages arrive as `{ data }`), on top of Node's IPC channel.
process.parentPort = {
  postMessage: (message) => process.send(message),
  on: (event, listener) => process.on(event, (message) => listener({ data: message })),
};
