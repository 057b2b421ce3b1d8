const { performance } = require('perf_hooks');
const Y = require('yaml');
const { jobYaml } = require('./out/bench/core.js');
const { scanYaml, scanYamlDetailed } = require('./out/src/core/references/scanner.js');
const { YamlScanState, diffChange } = require('./out/src/core/references/incremental.js');
const big = jobYaml(20000, 5000);
function t(name, fn, n = 5) { fn(); const s = performance.now(); for (let i = 0; i < n; i++) fn(); console.log(name, ((performance.now() - s) / n).toFixed(1), 'ms'); }
t('lexer only', () => { let c = 0; for (const tok of new Y.Lexer().lex(big)) c++; return c; });
t('parser (CST)', () => { let c = 0; for (const tok of new Y.Parser().parse(big)) c++; return c; });
t('parseDocument fast', () => Y.parseDocument(big, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: false }));
t('scanYaml', () => scanYaml(big));
t('scanYamlDetailed', () => scanYamlDetailed(big, {}, true));
const base = YamlScanState.full(big);
const at = big.indexOf('secret:secret_10\n', big.length / 2) + 'secret:secret_1'.length;
const edited = big.slice(0, at) + '7' + big.slice(at);
t('diffChange', () => diffChange(big, edited));
t('apply', () => base.apply(edited, [diffChange(big, edited)]));
