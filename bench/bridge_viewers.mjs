// The other viewers of bridge_bench.mjs's latency figure, in a process of
// their own (in the measuring process their 100 onmessage calls per
// keystroke would queue ahead of the measured one and be part of it).
//   node --experimental-websocket bench/bridge_viewers.mjs <port> <viewers>
// Prints "ready" once all are open; on stdin "count" prints the messages
// received since the last "count".
import readline from 'node:readline';

const [port, n] = process.argv.slice(2).map(Number);
let received = 0;
const open = () => new Promise((resolve, reject) => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  ws.onopen = () => resolve(ws);
  ws.onerror = reject;
  ws.onmessage = () => { received += 1; };
});
const all = [];
for (let i = 0; i < n; i += 1) all.push(await open());
console.log('ready');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'count') { console.log(String(received)); received = 0; }
  if (line === 'quit') { all.forEach((ws) => ws.close()); process.exit(0); }
});
