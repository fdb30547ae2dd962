package com.enterpriseadmin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
    enum Mode { LIMITED, SHARED_POOL }

    record Inner(Mode mode, Long limit) {}

    record Body(String name, Long amount, Boolean flag, Inner budget, List<String> tags) {
        Body {
            if (name != null && name.length() > 5) {
                throw new InvalidInput("name", "must be at most 5 characters");
            }
        }
    }

    private final Json json = new Json();

    @Test
    void readsAWellFormedBody() {
        Body body = json.readBody("{\"name\":\"ab\",\"amount\":12,\"flag\":true,\"budget\":{\"mode\":\"LIMITED\",\"limit\":5},\"tags\":[\"x\"]}", Body.class);
        assertEquals(new Body("ab", 12L, true, new Inner(Mode.LIMITED, 5L), List.of("x")), body);
    }

    /** JSON Schema's {@code integer} (what api/openapi.yaml states) is any number without a fractional part. */
    @Test
    void wholeNumbersWrittenWithAFractionOrAnExponentAreWholeNumbers() {
        assertEquals(12L, json.readBody("{\"amount\":12.0}", Body.class).amount());
        assertEquals(1000L, json.readBody("{\"amount\":1e3}", Body.class).amount());
        assertEquals(5L, json.readBody("{\"budget\":{\"mode\":\"LIMITED\",\"limit\":5.000}}", Body.class).budget().limit());
        assertEquals(-4L, json.readBody("{\"amount\":-4.0}", Body.class).amount());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"ab\",\"extra\":1}|extra|unknown field 'extra'",
            "{\"budget\":{\"mode\":\"LIMITED\",\"owner\":\"x\"}}|budget.owner|unknown field 'owner'",
            "{\"amount\":\"12\"}|amount|must be a whole number",
            "{\"amount\":1.5}|amount|must be a whole number",
            "{\"amount\":1e-3}|amount|must be a whole number",
            "{\"amount\":1e400}|amount|must be a whole number",
            "{\"amount\":9007199254740993.0}|amount|must be a whole number",
            "{\"name\":1.0}|name|must be a string",
            "{\"amount\":true}|amount|must be a whole number",
            "{\"name\":12}|name|must be a string",
            "{\"flag\":\"yes\"}|flag|must be true or false",
            "{\"budget\":{\"mode\":\"HUGE\"}}|budget.mode|must be one of: LIMITED, SHARED_POOL",
            "{\"budget\":{\"mode\":0}}|budget.mode|must be one of: LIMITED, SHARED_POOL",
            "{\"budget\":[]}|budget|must be an object",
            "{\"tags\":\"x\"}|tags|must be an array",
            "{\"name\":\"toolong\"}|name|must be at most 5 characters",
            "{\"amount\":99999999999999999999999}|amount|must be a whole number in range",
            "[1,2]|body|the body must be a JSON object",
            "{\"name\":\"a\"} trailing|body|the body is not valid JSON",
            "{\"name\":|body|the body is not valid JSON",
            "{\"name\":\"a\",\"name\":\"b\"}|body|the body is not valid JSON",
            "{\"name\":\"a\\ud800\"}|name|must be valid Unicode text (it contains a lone surrogate)",
            "{\"tags\":[\"ok\",\"\\udc00x\"]}|tags[1]|must be valid Unicode text (it contains a lone surrogate)",
    })
    void rejectsBadBodiesNamingTheField(String raw, String field, String detail) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody(raw, Body.class));
        assertEquals(field, e.field());
        assertEquals(detail, e.detail());
    }

    @Test
    void requiresABody() {
        assertEquals("body", assertThrows(InvalidInput.class, () -> json.readBody(null, Body.class)).field());
        assertEquals("body", assertThrows(InvalidInput.class, () -> json.readBody("  ", Body.class)).field());
    }

    @Test
    void rejectsOversizeBodies() {
        String big = "{\"name\":\"" + "x".repeat(Json.MAX_BODY_BYTES) + "\"}";
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody(big, Body.class));
        assertTrue(e.detail().contains("larger than"));
    }
}
