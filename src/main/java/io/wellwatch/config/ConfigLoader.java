package io.wellwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a YAML config into {@link AppConfig} with Jackson and validates it. Every problem becomes a
 * {@link ConfigException} whose message names the file, the line and the field, e.g.
 * {@code config/demo.yaml:14: wells[1].id: duplicate well id 'WELL-00001' (first at line 5)}.
 */
public final class ConfigLoader {

    // STRICT_DUPLICATE_DETECTION: a key given twice (e.g. two 'port:' lines) would otherwise be read
    // silently with the last value winning.
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 'port: 4840.5' would otherwise be read as 4840 without a word
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .registerModule(new SimpleModule("no-empty-values")
                    .addDeserializer(Integer.class, new NoEmptyValue<>(new NumberDeserializers.IntegerDeserializer(Integer.class, null)))
                    .addDeserializer(Long.class, new NoEmptyValue<>(new NumberDeserializers.LongDeserializer(Long.class, null)))
                    .addDeserializer(Double.class, new NoEmptyValue<>(new NumberDeserializers.DoubleDeserializer(Double.class, null)))
                    .addDeserializer(Boolean.class, new NoEmptyValue<>(new NumberDeserializers.BooleanDeserializer(Boolean.class, null))));

    /**
     * Jackson's own reading, except that an empty value ('samplingPeriodMs:' is YAML null) fails instead of
     * silently becoming the creator's default; a key left out still takes it.
     */
    private static final class NoEmptyValue<T> extends StdDeserializer<T> {
        private final StdDeserializer<T> standard;

        NoEmptyValue(StdDeserializer<T> standard) {
            super(standard.handledType());
            this.standard = standard;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return standard.deserialize(p, ctxt);
        }

        @Override
        public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            throw InvalidNullException.from(ctxt, null, ctxt.constructType(handledType()));
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    private ConfigLoader() {
    }

    public static AppConfig load(Path file) throws ConfigException {
        return parse(read(file, "config file"), file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * As {@link #load} for commands that do not run the simulator ({@code serve}, {@code backtest}):
     * its section is read but not checked, so a demo config copied elsewhere is not refused for CSV
     * files only the demo would open. The section is returned as read; the caller ignores it.
     */
    public static AppConfig loadWithoutSimulator(Path file) throws ConfigException {
        return parse(read(file, "config file"), file.toString(), file.toAbsolutePath().getParent(), false);
    }

    /**
     * Reads another YAML file of the product (e.g. a backtest CSV mapping) into {@code type} with the
     * same strictness and the same file:line:field messages as the config; validation is the caller's.
     */
    public static <T> T loadYaml(Path file, Class<T> type) throws ConfigException {
        String text = read(file, "file");
        T value = readYaml(text, file.toString(), type);
        if (value == null) {
            throw new ConfigException(file + ":1: file is empty");
        }
        return value;
    }

    private static String read(Path file, String kind) throws ConfigException {
        try {
            return utf8(Files.readAllBytes(file), file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": " + kind + " not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read " + kind + ": " + e.getMessage());
        }
    }

    /** The file's text; a byte that is not UTF-8 is named by line (the JDK says only 'Input length = 1'). */
    private static String utf8(byte[] bytes, Path file) throws ConfigException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(file + ":" + line + ": not UTF-8 text (byte " + (in.position() + 1)
                    + " of the file); save it as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** Parses YAML text; {@code source} names it in messages, {@code baseDir} resolves relative paths. */
    public static AppConfig parse(String text, String source, Path baseDir) throws ConfigException {
        return parse(text, source, baseDir, true);
    }

    private static AppConfig parse(String text, String source, Path baseDir, boolean checkSimulator)
            throws ConfigException {
        AppConfig config = readYaml(text, source, AppConfig.class);
        if (config == null) {
            throw new ConfigException(source + ":1: config file is empty (at least 'wells' is required)");
        }
        Map<String, Integer> lines = lineIndex(text);
        new ConfigValidator(source, lines, baseDir).validate(checkSimulator ? config : config.withSimulator(null));
        return config;
    }

    /** Jackson's reading with our messages; null for an empty document. */
    private static <T> T readYaml(String text, String source, Class<T> type) throws ConfigException {
        JsonNode tree = null;
        try {
            tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return null;
            }
            if (!tree.isObject() && type.isRecord()) {
                throw new ConfigException(source + ":1: the file must be a mapping (key: value lines) with the sections "
                        + Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.joining(", "))
                        + "; got " + (tree.isArray() ? "a list" : "the value '" + tree.asText() + "'"));
            }
            return YAML.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            MarkedYAMLException syntax = syntaxError(e);
            if (syntax != null) {
                throw syntaxMessage(source, syntax);
            }
            // Prefer the line where the offending field (or its object) starts over the parser's position.
            String path = path(e);
            String known = path.isEmpty() ? "?" : ConfigValidator.lineOf(lineIndex(text), path);
            String line = !known.equals("?") ? known : line(e.getLocation());
            if (line.equals("?")) {
                line = "1"; // a problem of the document as a whole (e.g. 'wells' missing at the top level)
            }
            String number = numberProblem(firstLine(e.getOriginalMessage()));
            String problem = e instanceof InvalidNullException ? noValue(tree, pointer(e), type)
                    : number != null ? number : describe(e);
            throw new ConfigException(source + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        } catch (JsonProcessingException e) {
            MarkedYAMLException syntax = syntaxError(e);
            if (syntax != null) {
                throw syntaxMessage(source, syntax);
            }
            String msg = firstLine(e.getOriginalMessage());
            if (msg != null && msg.startsWith("Duplicate field '")) {
                String key = msg.substring("Duplicate field '".length(), msg.indexOf('\'', "Duplicate field '".length()));
                throw new ConfigException(source + ":" + line(e.getLocation()) + ": duplicate key '" + key
                        + "' (a key may appear only once in a mapping)");
            }
            String number = numberProblem(msg);
            if (number != null) {
                String line = line(e.getLocation());
                String key = parserPath(e);
                throw new ConfigException(source + ":" + line + ": " + (key.isEmpty() ? keyOnLine(text, line) : key + ": ")
                        + number);
            }
            throw new ConfigException(source + ":" + line(e.getLocation()) + ": not valid YAML: " + inWords(msg));
        }
    }

    /** Numbers the parser itself refuses (too long, .nan, .inf), in words; null for other problems. */
    private static String numberProblem(String msg) {
        if (msg == null) {
            return null;
        }
        if (msg.startsWith("Numeric value (") && msg.contains("out of range")) {
            return "the number is too large for this setting";
        }
        if (msg.startsWith("Malformed numeric value")) {
            return "not a usable number (NaN and infinities are not accepted)";
        }
        return null;
    }

    /** "key: " of the YAML line {@code line} (1-based), or "" when it has none. */
    private static String keyOnLine(String text, String line) {
        try {
            String[] lines = text.split("\\R", -1);
            String l = lines[Integer.parseInt(line) - 1].trim();
            int colon = l.indexOf(':');
            return colon > 0 ? l.substring(l.startsWith("- ") ? 2 : 0, colon).trim() + ": " : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static MarkedYAMLException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                return m;
            }
        }
        return null;
    }

    private static ConfigException syntaxMessage(String source, MarkedYAMLException m) {
        int line = m.getProblemMark() != null ? m.getProblemMark().getLine() + 1 : -1;
        String context = m.getContext() == null ? "" : " (" + m.getContext()
                + (m.getContextMark() == null ? "" : " at line " + (m.getContextMark().getLine() + 1)) + ")";
        return new ConfigException(source + ":" + (line > 0 ? line : "?") + ": not valid YAML: " + m.getProblem() + context);
    }

    private static final Pattern EVENT = Pattern.compile("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event\\b[^>]*>");

    /** Jackson's YAML parser dumps SnakeYAML's event objects ('got this instead: <...MappingStartEvent(...)>'). */
    private static String inWords(String msg) {
        Matcher m = EVENT.matcher(msg == null ? "" : msg);
        if (!m.find()) {
            return msg;
        }
        String found = switch (m.group(1)) {
            case "MappingStart" -> "a mapping";
            case "SequenceStart" -> "a list";
            case "Scalar" -> "a value";
            case "Alias" -> "an alias (*name)";
            case "MappingEnd" -> "the end of a mapping";
            case "SequenceEnd" -> "the end of a list";
            default -> "the end of the document";
        };
        String expected = msg.startsWith("Expected a field name") ? "expected a key (a plain name before ':')"
                : firstLine(msg.substring(0, m.start())).replace("got this instead:", "").strip();
        return expected + ", found " + found;
    }

    private static String firstLine(String msg) {
        int nl = msg == null ? -1 : msg.indexOf('\n');
        return nl > 0 ? msg.substring(0, nl) : msg;
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof InvalidFormatException f) {
            return "expected " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        // 'Cannot construct instance': a record given a plain value, e.g. 'server: hello'
        if (e instanceof MismatchedInputException m && m.getTargetType() != null
                && (e.getOriginalMessage().startsWith("Cannot deserialize value of type")
                || e.getOriginalMessage().startsWith("Cannot construct instance of"))) {
            return "expected " + expected(m.getTargetType());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "' (known keys: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
        }
        String msg = e.getOriginalMessage();
        if (msg.startsWith("Missing required creator property")) {
            int q = msg.indexOf('\'');
            String field = q >= 0 ? msg.substring(q + 1, msg.indexOf('\'', q + 1)) : "?";
            return "missing required field '" + field + "'";
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return firstLine(msg);
    }

    /** An empty value; names the default that leaving the key out gives, read back from the same document without it. */
    private static String noValue(JsonNode tree, JsonPointer at, Class<?> type) {
        try {
            JsonNode copy = tree.deepCopy();
            if (copy.at(at.head()) instanceof ObjectNode parent) {
                parent.remove(at.last().getMatchingProperty());
                JsonNode value = YAML.valueToTree(YAML.treeToValue(copy, type)).at(at);
                if (value.isValueNode() && !value.isNull()) {
                    return "no value given; remove the key to use the default " + value.asText();
                }
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // another problem in the document: the message goes without the default
        }
        return "no value given";
    }

    private static JsonPointer pointer(JsonMappingException e) {
        JsonPointer p = JsonPointer.empty();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                p = p.appendIndex(r.getIndex());
            } else if (r.getFieldName() != null) {
                p = p.appendProperty(r.getFieldName());
            }
        }
        return p;
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value lines)";
        }
        return "a " + type.getSimpleName();
    }

    /** Dotted path of the value the parser stood on when it failed, e.g. {@code wells[0].detector.risk.deadband}; "" if unknown. */
    private static String parserPath(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (com.fasterxml.jackson.core.JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot();
             c = c.getParent()) {
            if (c.inArray()) {
                b.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                b.insert(0, "." + c.getCurrentName());
            }
        }
        return b.length() > 0 && b.charAt(0) == '.' ? b.substring(1) : b.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            }
        }
        return b.toString();
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "?" : Integer.toString(location.getLineNr());
    }

    /**
     * "file:line: path" for a setting of a YAML file already read (e.g. {@code sensors.P-TPT}), for
     * problems found after reading; "file: path" when the line cannot be told.
     */
    public static String locate(Path file, String path) {
        try {
            String line = ConfigValidator.lineOf(lineIndex(Files.readString(file)), path);
            return file + (line.equals("?") ? "" : ":" + line) + ": " + path;
        } catch (java.io.IOException | RuntimeException e) {
            return file + ": " + path;
        }
    }

    /** Line of every field and element, by dotted path such as {@code wells[1].sensors[0].nodeId}. */
    static Map<String, Integer> lineIndex(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    String key = dotted(p.getParsingContext().pathAsPointer(false).toString());
                    lines.putIfAbsent(key, p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // Already parsed once successfully; a failure here only costs line numbers.
        }
        return lines;
    }

    /** {@code /wells/1/id} becomes {@code wells[1].id}. */
    static String dotted(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                b.append('[').append(part).append(']');
            } else {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return b.toString();
    }
}
