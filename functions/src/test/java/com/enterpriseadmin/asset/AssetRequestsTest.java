package com.enterpriseadmin.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The asset bodies bind strictly: every bad member is a 400 naming it. */
class AssetRequestsTest {
    final Json json = new Json();

    String field(String body, Class<?> type) {
        return assertThrows(InvalidInput.class, () -> json.readBody(body, type)).field();
    }

    @Test
    void aStartNamesWhatIsWrong() {
        AssetRequests.Create ok = json.readBody("{\"name\":\"  Brand   logo \",\"contentType\":\" Image/PNG\",\"size\":12,\"visibility\":\"TEAMS\","
                + "\"teamIds\":[\"01hzx9a1b2c3d4e5f6g7h8j9k0\",\"01hzx9a1b2c3d4e5f6g7h8j9k0\"]}", AssetRequests.Create.class);
        assertEquals("Brand logo", ok.name());
        assertEquals("image/png", ok.contentType());
        assertEquals(List.of("01hzx9a1b2c3d4e5f6g7h8j9k0"), ok.teamIds());
        assertEquals("size", field("{\"name\":\"a\",\"contentType\":\"image/png\",\"size\":0,\"visibility\":\"ORGANIZATION\"}", AssetRequests.Create.class));
        assertEquals("teamIds", field("{\"name\":\"a\",\"contentType\":\"image/png\",\"size\":1,\"visibility\":\"TEAMS\"}", AssetRequests.Create.class));
        assertEquals("teamIds", field("{\"name\":\"a\",\"contentType\":\"image/png\",\"size\":1,\"visibility\":\"ORGANIZATION\",\"teamIds\":[\"01hzx9a1b2c3d4e5f6g7h8j9k0\"]}",
                AssetRequests.Create.class));
        assertEquals(List.of(), json.readBody("{\"name\":\"a\",\"contentType\":\"image/png\",\"size\":1,\"visibility\":\"ORGANIZATION\",\"teamIds\":null}",
                AssetRequests.Create.class).teamIds());
        assertEquals("contentType", field("{\"name\":\"a\",\"contentType\":\"image/png; charset=x\",\"size\":1,\"visibility\":\"ORGANIZATION\"}",
                AssetRequests.Create.class));
        assertEquals("name", field("{\"name\":\"a\\u0007\",\"contentType\":\"image/png\",\"size\":1,\"visibility\":\"ORGANIZATION\"}", AssetRequests.Create.class));
        assertEquals("ownerId", field("{\"name\":\"a\",\"contentType\":\"image/png\",\"size\":1,\"visibility\":\"ORGANIZATION\",\"ownerId\":\"x\"}",
                AssetRequests.Create.class));
    }

    @Test
    void anUpdateChangesSomethingAndANullIsLeftOut() {
        AssetRequests.Update ok = json.readBody("{\"visibility\":\"ORGANIZATION\"}", AssetRequests.Update.class).requireChange();
        assertEquals(Optional.of(List.of()), ok.teamIds());
        assertEquals("body", assertThrows(InvalidInput.class, () -> json.readBody("{}", AssetRequests.Update.class).requireChange()).field());
        assertEquals(Optional.empty(), json.readBody("{\"name\":null,\"visibility\":\"ORGANIZATION\"}", AssetRequests.Update.class).name());
        assertEquals("body", assertThrows(InvalidInput.class, () -> json.readBody("{\"name\":null}", AssetRequests.Update.class).requireChange()).field());
        assertEquals("teamIds", field("{\"teamIds\":[\"01hzx9a1b2c3d4e5f6g7h8j9k0\"]}", AssetRequests.Update.class));
    }
}
