package com.enterpriseadmin.http;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one JSON configuration. Request bodies are read strictly: unknown fields, wrong types,
 * numbers for strings (and the reverse), fractions for whole numbers and trailing content are
 * all rejected as 400 problems naming the field — never bound leniently, never a 500.
 */
public final class Json {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper mapper;

    public Json() {
        JsonMapper m = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_ABSENT)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual, LogicalType.Enum}) {
            m.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual || type == LogicalType.Enum ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        this.mapper = m;
    }

    public ObjectMapper mapper() { return mapper; }

    /** Reads a request body into {@code type}, turning every binding failure into a 400 naming the field. */
    /** Whether a body (already read with {@link #readBody}) names {@code member} at its top level, even as null. */
    public boolean names(String body, String member) {
        try {
            JsonNode tree = mapper.readTree(body);
            return tree != null && tree.isObject() && tree.has(member);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public <T> T readBody(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new InvalidInput("body", "a JSON object body is required");
        }
        if (body.length() > MAX_BODY_BYTES) {
            throw new InvalidInput("body", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new InvalidInput("body", "the body must be a JSON object");
            }
            requireWellFormedText(tree, "");
            return mapper.treeToValue(wholeNumbers(tree), type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInput(path(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            throw new InvalidInput(path(e), "must be " + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof DomainException domain) {
                throw domain;
            }
            if (e.getCause() instanceof InputCoercionException coercion) {
                throw new InvalidInput(path(e), "must be " + expected(coercion.getTargetType()) + " in range");
            }
            throw new InvalidInput(path(e), "invalid value");
        } catch (StreamReadException e) {
            if (e instanceof InputCoercionException coercion) {
                throw new InvalidInput(e.getProcessor() == null ? "body" : fieldOf(e), "must be " + expected(coercion.getTargetType()));
            }
            throw new InvalidInput("body", "the body is not valid JSON");
        } catch (JsonProcessingException e) {
            throw new InvalidInput("body", "the body is not valid JSON");
        }
    }

    /**
     * JSON may escape a lone UTF-16 surrogate ({@code "\ud800"}), which is no character at all: such text
     * cannot be stored (DynamoDB wants UTF-8) nor shown. Refused here, naming the member.
     */
    private static void requireWellFormedText(JsonNode node, String path) {
        if (node.isTextual()) {
            if (!wellFormed(node.textValue())) {
                throw new InvalidInput(path.isEmpty() ? "body" : path, "must be valid Unicode text (it contains a lone surrogate)");
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (!wellFormed(e.getKey())) {
                    throw new InvalidInput(path.isEmpty() ? "body" : path, "member names must be valid Unicode text");
                }
                requireWellFormedText(e.getValue(), child);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireWellFormedText(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** Numbers beyond this are not all exact as doubles, which is how JSON numbers with a fraction are read. */
    private static final double EXACT_DOUBLES = 0x1p53;

    /**
     * JSON Schema's {@code integer}, what api/openapi.yaml states, is any number without a fractional part: {@code 12.0}
     * and {@code 1.2e1} are 12. Such numbers become integers here, as long as the double they were read into holds
     * them exactly; {@code 1.5}, {@code 1e400} or {@code 9007199254740993.0} stay fractions (refused for whole numbers).
     */
    private static JsonNode wholeNumbers(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < EXACT_DOUBLES ? LongNode.valueOf((long) d) : node;
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(e -> e.setValue(wholeNumbers(e.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, wholeNumbers(array.get(i)));
            }
        }
        return node;
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target.isEnum()) {
            return "one of: " + Arrays.stream(target.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "an array";
        }
        return switch (target.getSimpleName()) {
            case "String" -> "a string";
            case "long", "Long", "int", "Integer", "short", "Short" -> "a whole number";
            case "boolean", "Boolean" -> "true or false";
            case "Instant" -> "an ISO-8601 date-time";
            default -> "an object";
        };
    }

    private static String fieldOf(StreamReadException e) {
        if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
            String name = parser.getParsingContext().getCurrentName();
            return name == null ? "body" : name;
        }
        return "body";
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }
}
