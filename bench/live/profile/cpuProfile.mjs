// Preload for the innspill server child, for diagnosis only (node refuses --cpu-prof in NODE_OPTIONS):
//   CPUPROF_OUT=/tmp/server.cpuprofile INNSPILL_BENCH_SERVER_NODE_OPTIONS="--import ./bench/live/profile/cpuProfile.mjs" npm run bench:live -- --target innspill
// Samples the whole server life (1 ms interval) and writes the .cpuprofile on exit (open it in Chrome DevTools).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(process.env.CPUPROF_OUT ?? 'innspill-server.cpuprofile', JSON.stringify(result.profile));
  });
});
