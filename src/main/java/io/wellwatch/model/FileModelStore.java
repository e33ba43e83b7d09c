package io.wellwatch.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wellwatch.core.Forecaster;
import io.wellwatch.core.ForecasterFactory;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.ModelInfo;
import io.wellwatch.core.ModelRepository;
import io.wellwatch.core.StoredModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The model store on disk: every version of every well and valve state is kept.
 *
 * <pre>
 * &lt;root&gt;/&lt;well dir&gt;/&lt;valve-state dir&gt;/v000001/weights.zip   network (via the ForecasterFactory)
 *                                            /model.json    ModelInfo, scaler, key, format 1, weights SHA-256
 * </pre>
 *
 * <p>Directory names: a well id made only of {@code [A-Za-z0-9._-]} (not starting with a dot, at most
 * 100 characters) is used as is; any other id, and every valve-state key, is encoded by
 * {@link #encodeName}: the key with unsafe characters replaced, a {@code ~} and 12 hex digits of
 * the key's SHA-256. The real key is always read from model.json, never from the directory name.
 *
 * <p>A version is written into a {@code .tmp-…} directory next to its final place, every file and
 * the directory are fsynced, and the directory is renamed atomically to {@code vNNNNNN}. A crash
 * leaves only the temporary directory, which loading ignores and removes. Versions whose metadata
 * or weights cannot be read are skipped with a warning in favour of the previous version; they
 * still count for {@link #latestVersion}, so version numbers never repeat.
 *
 * <p>Thread-safe within one process (saves and loads are serialised); one process per store.
 */
public final class FileModelStore implements ModelRepository {

    private static final Logger LOG = LogManager.getLogger(FileModelStore.class);

    /** Version of the model.json layout written by this class. */
    public static final int FORMAT = 1;
    static final String WEIGHTS_FILE = "weights.zip";
    static final String METADATA_FILE = "model.json";
    static final String TEMP_PREFIX = ".tmp-";

    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d{6,9})");
    private static final Pattern SAFE_WELL_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final int MAX_READABLE_PART = 64;

    private final Path root;
    private final ForecasterFactory factory;
    private final ObjectMapper json;
    private final java.util.concurrent.atomic.AtomicLong skippedVersions = new java.util.concurrent.atomic.AtomicLong();

    public FileModelStore(Path root, ForecasterFactory factory) {
        this.root = Objects.requireNonNull(root, "root");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    }

    /**
     * One version directory as found on disk, for listings.
     *
     * @param valveState valve-state key from model.json; null when the metadata is unreadable
     * @param version    version number from the directory name
     * @param directory  the version directory
     * @param info       the version's metadata; null when unreadable
     * @param problem    why the version cannot be used (metadata, or weights missing or failing their
     *                   checksum); null when it looks sound. The network itself is not loaded.
     */
    public record VersionEntry(String valveState, int version, Path directory, ModelInfo info, String problem) {
    }

    /** Metadata file layout, format 1. */
    record Metadata(
            int format,
            String wellId,
            String valveState,
            int version,
            Instant trainedAt,
            int sampleCount,
            double trainingLoss,
            double tolerance,
            Instant dataFrom,
            Instant dataTo,
            List<String> sensors,
            Map<String, Object> settings,
            Scaler scaler,
            String weightsFile,
            String weightsSha256) {
    }

    record Scaler(double[] min, double[] range) {
    }

    // ------------------------------------------------------------------ save

    /**
     * Writes {@code model} as version {@code model.info().version()} of its well and valve state.
     *
     * @throws FileAlreadyExistsException if that version, or a later one, already exists (pick
     *                                    {@link #latestVersion} + 1)
     * @throws IOException                on any write failure; nothing but a removable temporary
     *                                    directory is left behind
     */
    @Override
    public synchronized void save(StoredModel model) throws IOException {
        ModelInfo info = model.info();
        MinMaxScaler scaler = model.scaler();
        Forecaster forecaster = model.forecaster();
        checkId(info.wellId(), "well id");
        Objects.requireNonNull(info.valveState(), "valve state");
        if (info.version() < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + info.version());
        }
        if (scaler.features() != forecaster.features()) {
            throw new IllegalArgumentException("scaler has " + scaler.features() + " sensors, forecaster "
                    + forecaster.features());
        }
        if (info.sensors() != null && info.sensors().size() != scaler.features()) {
            throw new IllegalArgumentException(info.sensors().size() + " sensor names for "
                    + scaler.features() + " sensors");
        }
        Path wellDir = wellDirectory(info.wellId());
        Path valveDir = wellDir.resolve(encodeName(info.valveState()));
        Files.createDirectories(valveDir);
        checkNoKeyCollision(valveDir, info);

        int latest = latestVersionIn(valveDir);
        Path target = valveDir.resolve(versionDirName(info.version()));
        if (info.version() <= latest) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "version " + info.version() + " is not newer than the latest stored version " + latest
                            + " of well " + info.wellId() + ", valve state " + info.valveState());
        }

        Path tmp = createTempDir(valveDir, info.version());
        try {
            Path weights = tmp.resolve(WEIGHTS_FILE);
            factory.save(forecaster, weights);
            fsyncFile(weights);
            Metadata meta = new Metadata(FORMAT, info.wellId(), info.valveState(), info.version(),
                    info.trainedAt(), info.sampleCount(), info.trainingLoss(), info.tolerance(),
                    info.dataFrom(), info.dataTo(), info.sensors(), info.settings(),
                    new Scaler(scaler.min(), scaler.range()), WEIGHTS_FILE, sha256(weights));
            writeDurably(tmp.resolve(METADATA_FILE), json.writeValueAsBytes(meta));
            fsyncDir(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(tmp);
            throw e;
        }
        fsyncDir(valveDir);
        fsyncDir(wellDir);
        fsyncDir(root);
        LOG.info("Saved model version {} of well {} valve state {} to {}", info.version(), info.wellId(),
                info.valveState(), target);
    }

    /**
     * Refuses to store a key in a directory that already holds another key whose name encodes to the
     * same directory (a hash collision). Versions that are unreadable, or were copied in by hand from
     * elsewhere, are ignored here as they are by loading.
     */
    private void checkNoKeyCollision(Path valveDir, ModelInfo info) throws IOException {
        String dirName = valveDir.getFileName().toString();
        List<Integer> versions = versionsIn(valveDir);
        for (int k = versions.size() - 1; k >= 0; k--) {
            Metadata m;
            try {
                m = readMetadata(valveDir.resolve(versionDirName(versions.get(k))));
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (m.valveState() == null || !info.wellId().equals(m.wellId())
                    || !encodeName(m.valveState()).equals(dirName)) {
                continue;
            }
            if (!m.valveState().equals(info.valveState())) {
                throw new IOException("directory " + valveDir + " already holds valve state '" + m.valveState()
                        + "', whose name encodes like '" + info.valveState() + "'; refusing to mix them");
            }
            return;
        }
    }

    /** A fresh temporary directory next to the final one (default permissions, unlike createTempDirectory). */
    private static Path createTempDir(Path valveDir, int version) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String name = TEMP_PREFIX + versionDirName(version) + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            try {
                return Files.createDirectory(valveDir.resolve(name));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    // ------------------------------------------------------------------ load

    /**
     * The newest loadable version of every valve state of {@code wellId}, keyed by valve-state key
     * (sorted). Leftover temporary directories of interrupted saves are deleted (INFO); damaged
     * versions are skipped with a WARN naming the directory and the reason.
     */
    @Override
    public synchronized Map<String, StoredModel> loadLatest(String wellId) {
        checkId(wellId, "well id");
        Map<String, StoredModel> result = new TreeMap<>();
        Path wellDir = wellDirectory(wellId);
        if (!Files.isDirectory(wellDir)) {
            return result;
        }
        List<Path> valveDirs;
        try {
            valveDirs = subdirectories(wellDir);
        } catch (IOException e) {
            LOG.warn("Cannot list model directory {}: {}", wellDir, e.toString());
            return result;
        }
        for (Path valveDir : valveDirs) {
            if (valveDir.getFileName().toString().startsWith(".")) {
                continue;
            }
            removeTempDirs(valveDir);
            List<Integer> versions;
            try {
                versions = versionsIn(valveDir);
            } catch (IOException e) {
                LOG.warn("Cannot list model directory {}: {}", valveDir, e.toString());
                continue;
            }
            StoredModel loaded = null;
            for (int k = versions.size() - 1; k >= 0; k--) {
                int v = versions.get(k);
                Path dir = valveDir.resolve(versionDirName(v));
                try {
                    loaded = loadVersionDir(dir, wellId, v);
                    break;
                } catch (IOException | RuntimeException e) {
                    skippedVersions.incrementAndGet();
                    LOG.warn("Skipping model version {}: {}", dir, reason(e));
                }
            }
            if (loaded == null) {
                if (!versions.isEmpty()) {
                    LOG.warn("No loadable model version in {}", valveDir);
                }
                continue;
            }
            StoredModel clash = result.putIfAbsent(loaded.info().valveState(), loaded);
            if (clash != null) {
                LOG.warn("Ignoring {}: valve state '{}' is also stored elsewhere", valveDir, loaded.info().valveState());
                loaded.forecaster().close();
            }
        }
        return result;
    }

    /**
     * Loads one specific version (e.g. to roll back by hand).
     *
     * @throws IOException if it is missing, damaged or belongs to another well or valve state
     */
    public synchronized StoredModel load(String wellId, String valveState, int version) throws IOException {
        checkId(wellId, "well id");
        Path dir = versionDirectory(wellId, valveState, version);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such model version");
        }
        StoredModel m = loadVersionDir(dir, wellId, version);
        if (!m.info().valveState().equals(valveState)) {
            m.forecaster().close();
            throw new IOException(dir + " holds valve state '" + m.info().valveState() + "', not '" + valveState + "'");
        }
        return m;
    }

    /**
     * Highest version number present for the well and valve state, loadable or not (0 if none, or if
     * the directory cannot be listed, with a warning); the next save must use a larger number, and
     * {@link #save} refuses one that is not.
     */
    @Override
    public synchronized int latestVersion(String wellId, String valveState) {
        checkId(wellId, "well id");
        Path dir = valveStateDirectory(wellId, valveState);
        try {
            return latestVersionIn(dir);
        } catch (IOException e) {
            LOG.warn("Cannot list model directory {}: {}", dir, e.toString());
            return 0;
        }
    }

    /**
     * Every version directory of a well, by directory then version, with its metadata when readable
     * and the reason when the version is unusable. Weights are checked against their checksum but
     * not loaded into a network.
     */
    public synchronized List<VersionEntry> listVersions(String wellId) {
        checkId(wellId, "well id");
        List<VersionEntry> out = new ArrayList<>();
        Path wellDir = wellDirectory(wellId);
        if (!Files.isDirectory(wellDir)) {
            return out;
        }
        try {
            for (Path valveDir : subdirectories(wellDir)) {
                if (valveDir.getFileName().toString().startsWith(".")) {
                    continue;
                }
                for (int v : versionsIn(valveDir)) {
                    Path dir = valveDir.resolve(versionDirName(v));
                    try {
                        Metadata m = readMetadata(dir);
                        ModelInfo info = toInfo(m);
                        String problem = null;
                        try {
                            checkMetadata(m, wellId, v);
                            checkWeights(dir, m);
                        } catch (IOException e) {
                            problem = reason(e);
                        }
                        out.add(new VersionEntry(m.valveState(), v, dir, info, problem));
                    } catch (IOException | RuntimeException e) {
                        out.add(new VersionEntry(null, v, dir, null, reason(e)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + wellDir, e);
        }
        return out;
    }

    /** Directory holding the versions of a well's valve state (it may not exist). */
    public Path valveStateDirectory(String wellId, String valveState) {
        return wellDirectory(wellId).resolve(encodeName(valveState));
    }

    /** Directory of a well's models (it may not exist); the well's alarm state is kept there too. */
    public Path wellDirectory(String wellId) {
        return root.resolve(wellDirName(wellId));
    }

    /** Directory of one version (it may not exist). */
    public Path versionDirectory(String wellId, String valveState, int version) {
        return valveStateDirectory(wellId, valveState).resolve(versionDirName(version));
    }

    /** Damaged or incompatible versions skipped by {@link #loadLatest} since this store was created (a metric). */
    public long skippedVersions() {
        return skippedVersions.get();
    }

    public Path root() {
        return root;
    }

    private StoredModel loadVersionDir(Path dir, String wellId, int version) throws IOException {
        Metadata m = readMetadata(dir);
        checkMetadata(m, wellId, version);
        String expectedDir = encodeName(m.valveState());
        if (!dir.getParent().getFileName().toString().equals(expectedDir)) {
            throw new IOException("valve state '" + m.valveState() + "' in " + METADATA_FILE
                    + " belongs in directory " + expectedDir);
        }
        checkWeights(dir, m);
        Forecaster forecaster = factory.load(dir.resolve(m.weightsFile()));
        if (forecaster.features() != m.scaler().min().length) {
            forecaster.close();
            throw new IOException("weights have " + forecaster.features() + " sensors, scaler "
                    + m.scaler().min().length);
        }
        return new StoredModel(toInfo(m), new MinMaxScaler(m.scaler().min(), m.scaler().range()), forecaster);
    }

    private Metadata readMetadata(Path dir) throws IOException {
        Path file = dir.resolve(METADATA_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, METADATA_FILE + " missing");
        }
        try {
            JsonNode tree = json.readTree(file.toFile());
            if (tree == null || !tree.isObject()) {
                throw new IOException(METADATA_FILE + " is not a JSON object");
            }
            JsonNode format = tree.get("format");
            if (format == null || !format.isInt() || format.intValue() != FORMAT) {
                throw new IOException("unsupported " + METADATA_FILE + " format " + format + " (expected " + FORMAT + ")");
            }
            return json.treeToValue(tree, Metadata.class);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("cannot parse " + file + ": " + e, e);
        }
    }

    private static void checkMetadata(Metadata m, String wellId, int version) throws IOException {
        if (m.wellId() == null || !m.wellId().equals(wellId)) {
            throw new IOException(METADATA_FILE + " names well " + m.wellId() + ", expected " + wellId);
        }
        if (m.valveState() == null) {
            throw new IOException(METADATA_FILE + " has no valve state");
        }
        if (m.version() != version) {
            throw new IOException(METADATA_FILE + " says version " + m.version() + ", directory says " + version);
        }
        Scaler s = m.scaler();
        if (s == null || s.min() == null || s.range() == null || s.min().length != s.range().length
                || s.min().length == 0) {
            throw new IOException(METADATA_FILE + " has no valid scaler");
        }
        for (int i = 0; i < s.min().length; i++) {
            if (!Double.isFinite(s.min()[i]) || !(s.range()[i] > 0) || !Double.isFinite(s.range()[i])) {
                throw new IOException(METADATA_FILE + " has an invalid scaler entry at sensor " + i);
            }
        }
        if (m.sensors() != null && m.sensors().size() != s.min().length) {
            throw new IOException(METADATA_FILE + " lists " + m.sensors().size() + " sensors for a scaler of "
                    + s.min().length);
        }
        if (m.weightsFile() == null || m.weightsFile().isEmpty() || !m.weightsFile().equals(Path.of(m.weightsFile()).getFileName().toString())
                || m.weightsFile().startsWith(".")) {
            throw new IOException(METADATA_FILE + " names an invalid weights file: " + m.weightsFile());
        }
        if (m.weightsSha256() == null) {
            throw new IOException(METADATA_FILE + " has no weights checksum");
        }
    }

    private static void checkWeights(Path dir, Metadata m) throws IOException {
        Path weights = dir.resolve(m.weightsFile());
        if (!Files.isRegularFile(weights)) {
            throw new NoSuchFileException(weights.toString(), null, "weights missing");
        }
        String actual = sha256(weights);
        if (!actual.equalsIgnoreCase(m.weightsSha256())) {
            throw new IOException("weights checksum mismatch (file damaged or incomplete): " + weights);
        }
    }

    private static ModelInfo toInfo(Metadata m) {
        return new ModelInfo(m.wellId(), m.valveState(), m.version(), m.trainedAt(), m.sampleCount(),
                m.trainingLoss(), m.tolerance(), m.dataFrom(), m.dataTo(),
                m.sensors() == null ? null : List.copyOf(m.sensors()),
                m.settings() == null ? null : m.settings());
    }

    // ------------------------------------------------------------------ names

    /**
     * File-system-safe, collision-free directory name for a key: the key with every character outside
     * {@code [A-Za-z0-9._-]} replaced ({@code =} by {@code -}, anything else by {@code _}), a leading
     * dot replaced, cut to 64 characters ({@code _} if empty), then {@code ~} and the first 12 hex digits of the SHA-256
     * of the exact key (UTF-8). E.g. {@code DHSV=1;M1=1;W1=1;XO=0 -> DHSV-1_M1-1_W1-1_XO-0~<hash>}.
     */
    public static String encodeName(String key) {
        Objects.requireNonNull(key, "key");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length() && sb.length() < MAX_READABLE_PART; i++) {
            char c = key.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && sb.length() > 0)) {
                sb.append(c);
            } else if (c == '=') {
                sb.append('-');
            } else {
                sb.append('_');
            }
        }
        if (sb.length() == 0) {
            sb.append('_');
        }
        byte[] hash = sha256(key.getBytes(StandardCharsets.UTF_8));
        return sb + "~" + HexFormat.of().formatHex(hash, 0, 6);
    }

    static String wellDirName(String wellId) {
        return SAFE_WELL_ID.matcher(wellId).matches() ? wellId : encodeName(wellId);
    }

    static String versionDirName(int version) {
        return String.format("v%06d", version);
    }

    private static void checkId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    // ------------------------------------------------------------------ file helpers

    private static int latestVersionIn(Path valveDir) throws IOException {
        List<Integer> v = versionsIn(valveDir);
        return v.isEmpty() ? 0 : v.get(v.size() - 1);
    }

    /** Version numbers of the {@code vNNNNNN} directories, ascending; empty if the directory is missing. */
    private static List<Integer> versionsIn(Path valveDir) throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(valveDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(valveDir)) {
            for (Path p : ds) {
                Matcher m = VERSION_DIR.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            ds.forEach(out::add);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    private static void removeTempDirs(Path valveDir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(valveDir,
                p -> p.getFileName().toString().startsWith(TEMP_PREFIX))) {
            for (Path p : ds) {
                LOG.info("Removing leftover of an interrupted model save: {}", p);
                deleteRecursively(p);
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean up temporary directories in {}: {}", valveDir, e.toString());
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot delete {}: {}", path, e.toString());
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void fsyncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Flushes a directory entry change; not supported on every platform, so failures only log. */
    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = sha256Digest();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] sha256(byte[] data) {
        return sha256Digest().digest(data);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String reason(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof NoSuchFileException nsf) {
            return (nsf.getReason() != null ? nsf.getReason() + ": " : "no such file: ") + nsf.getFile();
        }
        return msg == null ? e.toString() : msg;
    }
}
