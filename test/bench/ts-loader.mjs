// Lets `node --import ./test/bench/ts-loader.mjs <file>.ts` run TypeScript sources directly (Node 20
// strips no types): .ts files are compiled with swc on load, `.js` imports resolve to the `.ts`
// beside them, and @lastmile/collectors to its sources, as in jest.config.js.
import { register } from 'node:module';

register('./ts-loader-hooks.mjs', import.meta.url);
