// Runs an ONNX model with onnxruntime-node on one float32 .npy input; writes every output as <name>.npy.
// Usage: NODE_PATH=/dir/node_modules node tools/export/ort_run.mjs model.onnx input.npy outdir
// (export.py --runner node --node-dir /dir). Prints "ort_version <v>" and "output <name> <shape>".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const ort = require('onnxruntime-node');

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const off = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', off, off + hlen);
  if (!header.includes("'<f4'")) throw new Error('need little-endian float32: ' + header);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + off + hlen, buf.byteOffset + buf.length));
  return new ort.Tensor('float32', data, shape);
}

function writeNpy(file, tensor) {
  const shape = '(' + tensor.dims.join(', ') + (tensor.dims.length === 1 ? ',' : '') + ')';
  let h = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = (64 - ((10 + h.length + 1) % 64)) % 64;
  h = h + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(10);
  head[0] = 0x93; head.write('NUMPY', 1, 'latin1'); head[6] = 1; head[7] = 0; head.writeUInt16LE(h.length, 8);
  const data = Buffer.from(new Float32Array(tensor.data).buffer);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(h, 'latin1'), data]));
}

const [model, input, outDir] = process.argv.slice(2);
console.log('ort_version ' + (ort.env.versions ? ort.env.versions.node : '?'));
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
const results = await session.run({ [session.inputNames[0]]: readNpy(input) });
fs.mkdirSync(outDir, { recursive: true });
for (const name of session.outputNames) {
  writeNpy(path.join(outDir, name + '.npy'), results[name]);
  console.log('output ' + name + ' [' + results[name].dims.join(', ') + ']');
}
