package com.enterpriseadmin.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.team.Budget;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private final Json json = new Json();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{}|amount|is required",
            "{\"amount\":0,\"source\":\"GRANT\"}|amount|must be a whole number from 1 to 1000000000000",
            "{\"amount\":-5,\"source\":\"GRANT\"}|amount|must be a whole number from 1 to 1000000000000",
            "{\"amount\":1000000000001,\"source\":\"GRANT\"}|amount|must be a whole number from 1 to 1000000000000",
            "{\"amount\":10}|source|is required: one of CONTRACT, PURCHASE, GRANT, ADJUSTMENT",
            "{\"amount\":10,\"source\":\"GIFT\"}|source|must be one of: CONTRACT, PURCHASE, GRANT, ADJUSTMENT",
            "{\"amount\":10,\"source\":\"GRANT\",\"reference\":\"   \"}|reference|must not be blank",
            "{\"amount\":10,\"source\":\"GRANT\",\"purchased\":5}|purchased|unknown field 'purchased'",
    })
    void topUpBodiesAreValidated(String body, String field, String detail) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody(body, Requests.TopUp.class));
        assertEquals(field, e.field());
        assertEquals(detail, e.detail());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"amount\":3,\"teamId\":\"x\"}|teamId",
            "{\"amount\":\"3\"}|amount",
            "{\"amount\":3.5}|amount",
            "{\"jobId\":\"j\"}|amount",
    })
    void consumptionBodiesAreValidated(String body, String field) {
        assertEquals(field, assertThrows(InvalidInput.class, () -> json.readBody(body, Requests.Consume.class)).field());
    }

    @Test
    void holdsNeedAnExpiryWithinSevenDays() {
        assertEquals("expiresInSeconds", assertThrows(InvalidInput.class, () -> json.readBody("{\"amount\":5}", Requests.PlaceHold.class)).field());
        assertEquals("expiresInSeconds", assertThrows(InvalidInput.class,
                () -> json.readBody("{\"amount\":5,\"expiresInSeconds\":604801}", Requests.PlaceHold.class)).field());
        assertEquals(600L, json.readBody("{\"amount\":5,\"expiresInSeconds\":600}", Requests.PlaceHold.class).expiresInSeconds());
    }

    @Test
    void budgetsAreValidated() {
        assertEquals("budget.limit", assertThrows(InvalidInput.class, () -> json.readBody("{\"mode\":\"LIMITED\"}", Budget.class)).field());
        assertEquals("budget.limit", assertThrows(InvalidInput.class, () -> json.readBody("{\"mode\":\"SHARED_POOL\",\"limit\":5}", Budget.class)).field());
        assertEquals("budget.mode", assertThrows(InvalidInput.class, () -> json.readBody("{\"limit\":5}", Budget.class)).field());
        assertEquals(Budget.Period.NONE, json.readBody("{\"mode\":\"LIMITED\",\"limit\":0}", Budget.class).period());
        assertEquals(0L, json.readBody("{\"mode\":\"SHARED_POOL\",\"period\":\"MONTHLY\"}", Budget.class).storedLimit());
    }

    @Test
    void idempotencyKeysAreRequiredAndBounded() {
        assertEquals("Idempotency-Key", assertThrows(InvalidInput.class, () -> Idempotency.validateKey(Optional.empty())).field());
        assertEquals("Idempotency-Key", assertThrows(InvalidInput.class, () -> Idempotency.validateKey(Optional.of("a".repeat(256)))).field());
        assertEquals("Idempotency-Key", assertThrows(InvalidInput.class, () -> Idempotency.validateKey(Optional.of("has space"))).field());
        assertEquals("k-1", Idempotency.validateKey(Optional.of("k-1")));
    }

    @Test
    void fingerprintsSeparateTheirParts() {
        assertEquals(Idempotency.fingerprint("a", "bc"), Idempotency.fingerprint("a", "bc"));
        org.junit.jupiter.api.Assertions.assertNotEquals(Idempotency.fingerprint("a", "bc"), Idempotency.fingerprint("ab", "c"));
    }
}
