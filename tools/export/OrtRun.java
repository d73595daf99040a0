// Runs an ONNX model with ONNX Runtime (Java) on one float32 .npy input and writes every output as .npy.
// Usage: java -cp onnxruntime-1.28.0.jar tools/export/OrtRun.java model.onnx input.npy outdir
// Prints "output <name> <shape>" per output and "ort_version <v>".
import ai.onnxruntime.*;
import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class OrtRun {
    static long[] shapeOf(String header) {
        Matcher m = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!m.find()) throw new IllegalArgumentException("no shape in npy header: " + header);
        String[] parts = m.group(1).split(",");
        List<Long> dims = new ArrayList<>();
        for (String p : parts) if (!p.isBlank()) dims.add(Long.parseLong(p.trim()));
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    static OnnxTensor readNpy(OrtEnvironment env, Path p) throws Exception {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int major = all[6];
        int hlen = major == 1 ? (bb.getShort(8) & 0xffff) : bb.getInt(8);
        int off = major == 1 ? 10 : 12;
        String header = new String(all, off, hlen, "latin1");
        if (!header.contains("'<f4'")) throw new IllegalArgumentException("need little-endian float32: " + header);
        if (header.contains("'fortran_order': True")) throw new IllegalArgumentException("fortran order");
        long[] shape = shapeOf(header);
        FloatBuffer fb = ByteBuffer.wrap(all, off + hlen, all.length - off - hlen).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        FloatBuffer copy = FloatBuffer.allocate(fb.remaining());
        copy.put(fb).flip();
        return OnnxTensor.createTensor(env, copy, shape);
    }

    static void writeNpy(Path p, float[] data, long[] shape) throws IOException {
        StringBuilder s = new StringBuilder("(");
        for (long d : shape) s.append(d).append(", ");
        if (shape.length > 1) s.setLength(s.length() - 2);
        s.append(")");
        String h = "{'descr': '<f4', 'fortran_order': False, 'shape': " + s + ", }";
        int total = 10 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + h.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes("latin1")).put((byte) 1).put((byte) 0);
        bb.putShort((short) h.length()).put(h.getBytes("latin1"));
        bb.asFloatBuffer().put(data);
        Files.write(p, bb.array());
    }

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println("ort_version " + env.getVersion());
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(Integer.parseInt(System.getProperty("threads", "2")));
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        int runs = Integer.parseInt(System.getProperty("runs", "1"));
        try (OrtSession sess = env.createSession(args[0], so)) {
            String inName = sess.getInputNames().iterator().next();
            Path outDir = Paths.get(args[2]);
            Files.createDirectories(outDir);
            try (OnnxTensor in = readNpy(env, Paths.get(args[1]))) {
                double[] times = new double[runs];
                OrtSession.Result res = null;
                for (int r = 0; r < runs; r++) {
                    if (res != null) res.close();
                    long t0 = System.nanoTime();
                    res = sess.run(Map.of(inName, in));
                    times[r] = (System.nanoTime() - t0) / 1e6;
                }
                if (runs > 1) {
                    double[] sorted = times.clone();
                    Arrays.sort(sorted);
                    System.out.println("ort_ms_p50 " + sorted[runs / 2] + " first " + times[0]);
                }
                for (Map.Entry<String, OnnxValue> e : res) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    long[] shape = t.getInfo().getShape();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    writeNpy(outDir.resolve(e.getKey() + ".npy"), data, shape);
                    System.out.println("output " + e.getKey() + " " + Arrays.toString(shape));
                }
                res.close();
            }
        }
    }
}
