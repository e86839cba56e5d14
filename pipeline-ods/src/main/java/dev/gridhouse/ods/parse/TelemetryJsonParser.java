package dev.gridhouse.ods.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import dev.gridhouse.contract.grid.TelemetryField;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Rejection;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import javax.annotation.Nullable;

/**
 * Parses one telemetry JSON line (contract §1.3) into a {@link Telemetry} or a rejection with the
 * reason and detail of contract §2. {@link #parse} never throws.
 *
 * <p>The checks run in contract order, and the first failing one is the reason: {@link
 * RejectReason#MALFORMED} (not exactly one JSON object), {@link RejectReason#MISSING_FIELD}, {@link
 * RejectReason#INVALID_TYPE}, {@link RejectReason#INVALID_VALUE}, {@link
 * RejectReason#OUT_OF_RANGE}. Within one reason the fields are checked in contract table order
 * ({@link TelemetryField}) and the detail is the first failing field's name; for MALFORMED the
 * detail is the JSON parser's message (one line, at most {@value #MAX_DETAIL_LENGTH} characters).
 *
 * <ul>
 *   <li>MALFORMED: null, empty or blank line; not JSON (including the non-standard tokens {@code
 *       NaN} and {@code Infinity}); a top-level value that is not an object; anything but
 *       whitespace after the object (the streaming equivalent of {@code
 *       DeserializationFeature.FAIL_ON_TRAILING_TOKENS}); nesting deeper than {@value
 *       #MAX_NESTING_DEPTH}; a number longer than {@value #MAX_NUMBER_LENGTH} characters; a field
 *       name or a known field's string value beyond Jackson's length limits ({@value
 *       #MAX_STRING_LENGTH} characters for values; the values of unknown fields are skipped
 *       unread). A byte order mark is not JSON whitespace: a line starting with one is MALFORMED.
 *   <li>MISSING_FIELD: a required field absent or {@code null}. An optional field that is {@code
 *       null} counts as absent, which is valid.
 *   <li>INVALID_TYPE: {@code device_id} not a string; a number field not a JSON number (a number in
 *       a string, a boolean, an object or an array); {@code ts} or {@code status_code} not an
 *       integer. "Integer" has JSON Schema's meaning: a number whose value has no fractional part,
 *       so {@code 1.7e12} and {@code 1700000000000.0} are the integer 1700000000000, while {@code
 *       1.5} is INVALID_TYPE.
 *   <li>INVALID_VALUE: a number field whose value is not finite as a double, e.g. {@code 1e400} or
 *       an integer of 400 digits ({@link TelemetryContract#firstNonFiniteField}).
 *   <li>OUT_OF_RANGE: {@link TelemetryContract#firstOutOfRangeField} (empty {@code device_id},
 *       {@code ts} outside [2000-01-01, 2100-01-01), numbers outside their ranges), plus a {@code
 *       ts} beyond the {@code long} range or a {@code status_code} beyond the {@code int} range:
 *       those are integers, just outside the valid range.
 * </ul>
 *
 * <p>Unknown fields are ignored (their values are skipped without being decoded); of duplicate keys
 * the last one wins. Strings are taken as they are: a lone UTF-16 surrogate inside a string is not
 * rejected here.
 *
 * <p>The parser is a single streaming pass over the tokens (no tree, no exceptions on the happy
 * path) that collects the contract fields ({@link TelemetryField}, dispatched by their type) and
 * then checks them. It is serializable for use in Flink functions; the Jackson factory is built
 * lazily. Instances are thread-safe.
 */
public final class TelemetryJsonParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** MALFORMED details are cut to this many characters. */
    public static final int MAX_DETAIL_LENGTH = 500;

    /** Deepest nesting of arrays and objects accepted (Jackson's default). */
    public static final int MAX_NESTING_DEPTH = 1000;

    /** Longest number token accepted, in characters (Jackson's default). */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** Longest string value accepted, in characters (Jackson's default). */
    public static final int MAX_STRING_LENGTH = 20_000_000;

    /** The contract fields in contract order; a field's state is kept at its ordinal. */
    private static final TelemetryField[] FIELDS = TelemetryField.values();

    /** What was read for a field. */
    private enum Read {
        /** Not in the line, or {@code null}; the initial state (ordinal 0). */
        ABSENT,
        PRESENT,
        /** Not of the field's JSON type. */
        WRONG_TYPE,
        /** An integer outside the range of its Java type ({@code long} / {@code int}). */
        TOO_BIG
    }

    private static final Read[] READS = Read.values();

    /** Length of {@code Fields.strings}: up to the last STRING field. */
    private static final int STRING_SLOTS;

    static {
        // Fields packs 2 bits of state per field into a long
        if (FIELDS.length > 32 || READS.length > 4) {
            throw new IllegalStateException("Fields.states holds at most 32 fields");
        }
        int slots = 0;
        for (TelemetryField f : FIELDS) {
            if (f.type() == TelemetryField.Type.STRING) {
                slots = f.ordinal() + 1;
            }
        }
        STRING_SLOTS = slots;
    }

    private static final String REDACTED_SOURCE =
            "Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";

    private transient @Nullable JsonFactory factory;

    /**
     * Parses and validates one line. Never throws.
     *
     * @param line the raw line; kept unchanged as the result's payload
     */
    public ParseResult parse(@Nullable String line) {
        if (line == null) {
            return malformed(null, "null line");
        }
        try {
            return parseLine(line);
        } catch (JsonProcessingException e) {
            return malformed(line, describe(e));
        } catch (IOException | RuntimeException e) {
            // not expected from a String source; a line must never fail the job
            return malformed(line, "unreadable input: " + e);
        }
    }

    private ParseResult parseLine(String line) throws IOException {
        Fields f = new Fields();
        try (JsonParser p = factory().createParser(line)) {
            JsonToken token = p.nextToken();
            if (token == null) {
                return malformed(line, "empty line");
            }
            if (token != JsonToken.START_OBJECT) {
                return malformed(line, "expected a JSON object but found " + describe(token));
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken value = p.nextToken();
                TelemetryField field = TelemetryField.byName(name);
                if (field != null) {
                    read(p, value, field, f);
                }
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
            }
            // the parser guarantees END_OBJECT here; anything after it is an error
            if (p.nextToken() != null) {
                return malformed(
                        line,
                        "trailing content after the JSON object" + at(p.currentTokenLocation()));
            }
        }
        return check(line, f);
    }

    private static ParseResult check(String line, Fields f) {
        int ts = TelemetryField.TS.ordinal();
        int statusCode = TelemetryField.STATUS_CODE.ordinal();
        Long eventTs = f.state(ts) == Read.PRESENT ? f.values[ts] : null;
        for (TelemetryField field : FIELDS) {
            if (field.required() && f.state(field.ordinal()) == Read.ABSENT) {
                return ParseResult.rejected(
                        RejectReason.MISSING_FIELD, field.contractName(), line, eventTs);
            }
        }
        for (TelemetryField field : FIELDS) {
            if (f.state(field.ordinal()) == Read.WRONG_TYPE) {
                return ParseResult.rejected(
                        RejectReason.INVALID_TYPE, field.contractName(), line, eventTs);
            }
        }
        Telemetry t = new Telemetry();
        t.deviceId = f.strings[TelemetryField.DEVICE_ID.ordinal()];
        // an integer beyond long: any value outside [MIN_TS, MAX_TS) makes the range check fail
        // at the position of ts
        t.ts = f.state(ts) == Read.TOO_BIG ? Long.MAX_VALUE : f.values[ts];
        t.activePowerMw = f.number(TelemetryField.ACTIVE_POWER_MW.ordinal());
        t.voltageKv = f.number(TelemetryField.VOLTAGE_KV.ordinal());
        t.frequencyHz = f.number(TelemetryField.FREQUENCY_HZ.ordinal());
        t.reactivePowerMvar = optional(f, TelemetryField.REACTIVE_POWER_MVAR);
        t.currentA = optional(f, TelemetryField.CURRENT_A);
        t.temperatureC = optional(f, TelemetryField.TEMPERATURE_C);
        t.statusCode =
                f.state(statusCode) == Read.PRESENT
                        ? Integer.valueOf((int) f.values[statusCode])
                        : null;
        Rejection rejection = TelemetryContract.check(t);
        if (rejection != null) {
            return ParseResult.rejected(rejection, line, eventTs);
        }
        // status_code is the last field in contract order, so its range check comes last
        if (f.state(statusCode) == Read.TOO_BIG) {
            return ParseResult.rejected(
                    RejectReason.OUT_OF_RANGE,
                    TelemetryField.STATUS_CODE.contractName(),
                    line,
                    eventTs);
        }
        return ParseResult.accepted(t, line);
    }

    private static @Nullable Double optional(Fields f, TelemetryField field) {
        int i = field.ordinal();
        return f.state(i) == Read.PRESENT ? Double.valueOf(f.number(i)) : null;
    }

    /**
     * Records the value of a known field by its contract type; a later duplicate key overwrites an
     * earlier one.
     */
    private static void read(JsonParser p, JsonToken value, TelemetryField field, Fields f)
            throws IOException {
        int i = field.ordinal();
        if (value == JsonToken.VALUE_NULL) {
            f.state(i, Read.ABSENT);
            return;
        }
        switch (field.type()) {
            case STRING:
                if (value == JsonToken.VALUE_STRING) {
                    f.strings[i] = p.getText();
                    f.state(i, Read.PRESENT);
                } else {
                    f.state(i, Read.WRONG_TYPE);
                }
                return;
            case LONG:
                f.state(i, readInteger(p, value, f));
                f.values[i] = f.integer;
                return;
            case INT:
                Read s = readInteger(p, value, f);
                if (s == Read.PRESENT
                        && (f.integer < Integer.MIN_VALUE || f.integer > Integer.MAX_VALUE)) {
                    s = Read.TOO_BIG;
                }
                f.state(i, s);
                f.values[i] = f.integer;
                return;
            default:
                if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                    // beyond the double range this is +-Infinity, reported as INVALID_VALUE
                    f.values[i] = Double.doubleToRawLongBits(p.getDoubleValue());
                    f.state(i, Read.PRESENT);
                } else {
                    f.state(i, Read.WRONG_TYPE);
                }
        }
    }

    /**
     * Reads an integer in JSON Schema's sense (a number without fractional part) into {@code
     * f.integer}: PRESENT, WRONG_TYPE (not a number, or a fractional one) or TOO_BIG (beyond {@code
     * long}).
     *
     * <p>Only the fast path uses Jackson's number accessors. Long integers and float tokens are
     * read from the token text with exact decimal arithmetic: this needs no rounding, and it avoids
     * {@code JsonParser.getNumberType()}, which in jackson-core 2.17/2.18 leaves a stale
     * lazily-parsed number behind that the next integer token's {@code getDoubleValue()} returns
     * (jackson-databind#4917, jackson-core#1389).
     */
    private static Read readInteger(JsonParser p, JsonToken value, Fields f) throws IOException {
        f.integer = 0;
        if (value == JsonToken.VALUE_NUMBER_INT && p.getTextLength() <= 18) {
            // at most 18 characters, sign included: always within long
            f.integer = p.getLongValue();
            return Read.PRESENT;
        }
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            return Read.WRONG_TYPE;
        }
        // rare: 19+ digit integers and float tokens such as 1.7e12 or 1700000000000.0
        String text = p.getText();
        try {
            // the JSON number grammar is a subset of BigDecimal's
            BigDecimal d = new BigDecimal(text);
            if (d.signum() == 0) {
                return Read.PRESENT;
            }
            d = d.stripTrailingZeros();
            if (d.scale() > 0) {
                return Read.WRONG_TYPE;
            }
            // digits before the decimal point; long arithmetic as the scale may be near
            // Integer.MIN_VALUE
            if ((long) d.precision() - d.scale() > 19) {
                return Read.TOO_BIG;
            }
            f.integer = d.longValueExact();
            return Read.PRESENT;
        } catch (ArithmeticException | NumberFormatException e) {
            // beyond long (longValueExact), or an exponent beyond the int range of BigDecimal
            return classifyHugeExponent(text, f);
        }
    }

    /**
     * Classifies a number token whose exponent is too large for {@link BigDecimal} (|exponent| near
     * 2^31, while the number has at most {@value #MAX_NUMBER_LENGTH} digits) or that is an integer
     * beyond {@code long}: zero, an integer beyond {@code long} (positive exponent) or a non-zero
     * fraction (negative exponent).
     */
    private static Read classifyHugeExponent(String text, Fields f) {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        int end = e < 0 ? text.length() : e;
        boolean zero = true;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '1' && c <= '9') {
                zero = false;
                break;
            }
        }
        if (zero) {
            f.integer = 0;
            return Read.PRESENT;
        }
        boolean negativeExponent = e >= 0 && e + 1 < text.length() && text.charAt(e + 1) == '-';
        return negativeExponent ? Read.WRONG_TYPE : Read.TOO_BIG;
    }

    private static ParseResult malformed(@Nullable String line, String detail) {
        return ParseResult.rejected(RejectReason.MALFORMED, oneLine(detail), line, null);
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        return message.replace(REDACTED_SOURCE, "") + at(e.getLocation());
    }

    private static String at(@Nullable JsonLocation location) {
        if (location == null || location.getColumnNr() <= 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.toString();
        }
    }

    /** Control characters become spaces; cut to MAX_DETAIL_LENGTH without splitting a pair. */
    static String oneLine(String s) {
        int n = Math.min(s.length(), MAX_DETAIL_LENGTH);
        if (n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
            n--;
        }
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }

    private JsonFactory factory() {
        JsonFactory f = factory;
        if (f == null) {
            f = newFactory();
            factory = f; // a benign race: factories are equivalent and thread-safe
        }
        return f;
    }

    private static JsonFactory newFactory() {
        return JsonFactory.builder()
                // Jackson's defaults, pinned so that an upgrade does not change the contract
                .streamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(MAX_NESTING_DEPTH)
                                .maxNumberLength(MAX_NUMBER_LENGTH)
                                .maxStringLength(MAX_STRING_LENGTH)
                                .build())
                // never echo the payload in messages
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // untrusted field names must not fill the JVM's string pool
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /**
     * The contract fields collected from one line, each at its field's ordinal. Kept small, as one
     * is allocated per line: the {@link Read} states are packed into one {@code long}.
     */
    private static final class Fields {
        /** {@link Read#ordinal()} of each field, 2 bits at 2 × its ordinal; 0 is ABSENT. */
        private long states;

        /** Per field: the integer, or the raw bits of the double. */
        final long[] values = new long[FIELDS.length];

        /** Per field up to the last string field: the string. */
        final @Nullable String[] strings = new String[STRING_SLOTS];

        Read state(int field) {
            return READS[(int) (states >>> (2 * field)) & 3];
        }

        void state(int field, Read read) {
            int shift = 2 * field;
            states = (states & ~(3L << shift)) | ((long) read.ordinal() << shift);
        }

        double number(int field) {
            return Double.longBitsToDouble(values[field]);
        }

        /** The last integer read by {@link #readInteger}. */
        long integer;
    }
}
