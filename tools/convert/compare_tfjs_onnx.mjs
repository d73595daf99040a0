// Runs the original TF.js graph model and the converted ONNX model on the same inputs and prints the
// max abs difference of each output. Optionally writes the ONNX outputs as .npy files.
//
// Needs, in a scratch directory (not committed):
//   npm install --ignore-scripts @tensorflow/tfjs@4.22.0 onnxruntime-node@1.30.0
// and resolves those packages from the CURRENT directory, so run it from there:
//   cd SCRATCH && node REPO/tools/convert/compare_tfjs_onnx.mjs --tfjs MODEL_DIR --onnx MODEL.onnx \
//        [--random N] [--seed S] [--out OUT_DIR] input1.npy input2.npy ...
// Each input .npy is float32 [1,S,S,3] (NHWC, RGB, 0..255; S = 512, or 256 and integer values for --preset movenet). With --out, the three ONNX outputs of
// each input are written to OUT_DIR/<input base name>.<output>.npy (output = keypoints, wh, detections).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// resolve the npm packages from the current working directory (the scratch install)
const require = createRequire(path.join(process.cwd(), 'noop.js'));
const tf = require('@tensorflow/tfjs');
const ort = require('onnxruntime-node');

// --preset: which model. outputs = [TF.js node, ONNX output, short name]; the ONNX heads of MoveNet are
// internal TF nodes of its graph (the heat maps after its Sigmoid), the decoder output is its Identity.
const MV = 'StatefulPartitionedCall/';
const PRESETS = {
  centernet: {
    json: 'centernet.json', input: 'tower_0/images', tfDtype: 'float32', size: 512,
    outputs: ['keypoints', 'wh', 'detections'].map((s) => [`tower_0/${s}`, `tower_0/${s}`, s]),
  },
  movenet: {
    json: 'movenet-multipose.json', input: 'input', tfDtype: 'int32', size: 256,
    outputs: [[`${MV}Sigmoid`, 'center_0'], [`${MV}box_scale_0/conv2d_5/BiasAdd`, 'box_scale_0'],
      [`${MV}box_offset_0/conv2d_6/BiasAdd`, 'box_offset_0'], [`${MV}Sigmoid_1`, 'kpt_heatmap_0'],
      [`${MV}kpt_regress_0/conv2d_8/BiasAdd`, 'kpt_regress_0'], [`${MV}kpt_offset_0/conv2d_9/BiasAdd`, 'kpt_offset_0'],
      ['Identity', 'Identity']].map(([t, o]) => [t, o, o]),
  },
};

function parseArgs(argv) {
  const args = { random: 1, inputs: [], out: null, seed: 12345, preset: 'centernet' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tfjs') args.tfjs = argv[++i];
    else if (a === '--onnx') args.onnx = argv[++i];
    else if (a === '--random') args.random = parseInt(argv[++i], 10);
    else if (a === '--seed') args.seed = parseInt(argv[++i], 10);
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--preset') args.preset = argv[++i];
    else args.inputs.push(a);
  }
  if (!args.tfjs || !args.onnx) throw new Error('usage: --tfjs MODEL_DIR --onnx MODEL.onnx [--random N] [--out DIR] [x.npy ...]');
  return args;
}

// ---- minimal .npy (version 1.0/2.0, little-endian float32 / int32, C order) ----
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not .npy`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${file}: fortran order`);
  if (descr !== '<f4') throw new Error(`${file}: dtype ${descr}, want <f4`);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + hstart + hlen, buf.byteOffset + buf.length));
  return { data, shape };
}

function writeNpy(file, data, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// deterministic uniform 0..255 input (mulberry32)
function randomInput(seed, size = 512, integer = false) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6D2B79F5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const data = new Float32Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = integer ? Math.floor(next() * 256) : next() * 255;
  return { data, shape: [1, size, size, 3] };
}

async function loadTfjs(dir, file) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const weightSpecs = [];
  const parts = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) parts.push(fs.readFileSync(path.join(dir, p)));
  }
  const bin = Buffer.concat(parts);
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
  });
  return tf.loadGraphModel(handler);
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function rows(data, n = 6) {
  const r = [];
  for (let i = 0; i < data.length; i += n) r.push(Array.from(data.subarray(i, i + n)));
  return r;
}

// detections: same rows up to the order of equal scores -> compare after a canonical sort
function compareDetections(a, b) {
  const ra = rows(a); const rb = rows(b);
  const key = (r) => [-r[4], r[5], r[1], r[0]];
  const cmp = (x, y) => { const kx = key(x); const ky = key(y); for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i]) return kx[i] - ky[i]; return 0; };
  let sameOrderRows = 0;
  for (let i = 0; i < ra.length; i++) if (ra[i][5] === rb[i][5] && Math.abs(ra[i][0] - rb[i][0]) < 1e-2 && Math.abs(ra[i][1] - rb[i][1]) < 1e-2) sameOrderRows++;
  // match each ONNX row to the nearest TF.js row with the same class and cell (x1+x2, y1+y2 centre)
  let maxBox = 0; let maxScore = 0; let unmatched = 0;
  const used = new Set();
  for (const r of rb) {
    let best = -1; let bestD = Infinity;
    for (let j = 0; j < ra.length; j++) {
      if (used.has(j) || ra[j][5] !== r[5]) continue;
      const d = Math.max(...[0, 1, 2, 3].map((k) => Math.abs(ra[j][k] - r[k])));
      if (d < bestD) { bestD = d; best = j; }
    }
    if (best < 0 || bestD > 1) { unmatched++; continue; }
    used.add(best);
    maxBox = Math.max(maxBox, bestD);
    maxScore = Math.max(maxScore, Math.abs(ra[best][4] - r[4]));
  }
  const sa = [...ra].sort(cmp); const sb = [...rb].sort(cmp);
  return { rowwise: maxAbsDiff(a, b), sortedRows: maxAbsDiff(Float32Array.from(sa.flat()), Float32Array.from(sb.flat())), sameOrderRows, maxBox, maxScore, unmatched };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend('cpu');
  await tf.ready();
  const preset = PRESETS[args.preset];
  if (!preset) throw new Error(`unknown --preset ${args.preset}: ${Object.keys(PRESETS)}`);
  const OUTPUTS = preset.outputs;
  const tfModel = await loadTfjs(args.tfjs, preset.json);
  const session = await ort.InferenceSession.create(args.onnx, { intraOpNumThreads: 1 });
  console.log(`tfjs ${tf.version.tfjs} backend ${tf.getBackend()}, onnxruntime-node ${ort.env.versions?.common ?? ''}`);
  console.log(`ONNX inputs ${session.inputNames} outputs ${session.outputNames}`);

  const cases = [];
  for (let i = 0; i < args.random; i++) cases.push({ name: `random-seed${args.seed + i}`, input: randomInput(args.seed + i, preset.size, preset.tfDtype === 'int32') });
  for (const f of args.inputs) cases.push({ name: path.basename(f, '.npy'), input: readNpy(f) });

  const worst = {};
  for (const c of cases) {
    const x = preset.tfDtype === 'int32'
      ? tf.tensor(Int32Array.from(c.input.data), c.input.shape, 'int32') : tf.tensor(c.input.data, c.input.shape, 'float32');
    let t0 = Date.now();
    const tfOut = tfModel.execute({ [preset.input]: x }, OUTPUTS.map((o) => o[0]));
    const tfData = tfOut.map((t) => t.dataSync());
    const tfMs = Date.now() - t0;
    tf.dispose([x, ...tfOut]);
    t0 = Date.now();
    const res = await session.run({ [preset.input]: new ort.Tensor('float32', c.input.data, c.input.shape) });
    const onnxMs = Date.now() - t0;
    const line = [`${c.name}: tfjs ${tfMs} ms, onnx ${onnxMs} ms`];
    OUTPUTS.forEach(([, name, short], k) => {
      const o = res[name];
      if (short === 'detections') {
        const d = compareDetections(tfData[k], o.data);
        line.push(`  detections: max|diff| row-by-row ${d.rowwise.toExponential(3)}, after canonical sort ${d.sortedRows.toExponential(3)}; `
          + `rows in identical order ${d.sameOrderRows}/100; matched rows: max box diff ${d.maxBox.toExponential(3)}, max score diff ${d.maxScore.toExponential(3)}, unmatched ${d.unmatched}`);
        worst.detections_sorted = Math.max(worst.detections_sorted ?? 0, d.sortedRows);
      } else {
        const m = maxAbsDiff(tfData[k], o.data);
        let maxAbs = 0; for (const v of tfData[k]) maxAbs = Math.max(maxAbs, Math.abs(v));
        line.push(`  ${short} [${o.dims}]: max|diff| ${m.toExponential(3)} (max|value| ${maxAbs.toFixed(3)}, `
          + `relative ${(m / maxAbs).toExponential(3)})`);
        worst[short] = Math.max(worst[short] ?? 0, m);
        worst[`${short}_relative`] = Math.max(worst[`${short}_relative`] ?? 0, m / maxAbs);
      }
      if (args.out) {
        fs.mkdirSync(args.out, { recursive: true });
        writeNpy(path.join(args.out, `${c.name}.${short}.npy`), o.data, o.dims);
      }
    });
    console.log(line.join('\n'));
  }
  console.log('worst:', JSON.stringify(worst));
}

main().catch((e) => { console.error(e); process.exit(1); });
