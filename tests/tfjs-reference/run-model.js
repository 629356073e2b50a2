// Runs an UpscalerJS TF.js layers model on a raw float32 NHWC RGB image and writes the raw float32 NHWC output.
// Usage: node run-model.js <package> <scale> <input.f32> <height> <width> <output.f32>
// Values are passed through as given: the caller scales them to the model's range.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

async function main() {
  const [pkg, scale, inputFile, height, width, outputFile] = process.argv.slice(2);
  // The package's own definition registers its custom layers (MultiplyBeta, PixelShuffle) with tf.
  const definition = require(`${pkg}/${scale}x`);
  if (definition.setup) {
    await definition.setup(tf);
  }
  const dir = path.join(__dirname, 'node_modules', ...pkg.split('/'), 'models', `x${scale}`);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const weights = Buffer.concat(shards);
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
  const raw = fs.readFileSync(inputFile);
  const input = tf.tensor4d(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [1, +height, +width, 3]);
  const output = model.predict(input);
  const data = await output.data();
  fs.writeFileSync(outputFile, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  process.stdout.write(JSON.stringify({ shape: output.shape }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
