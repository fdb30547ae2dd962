package com.enterpriseadmin.it.organization;

import static com.enterpriseadmin.it.organization.Orgs.createOrg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The user list over 250 members, page by page, without loss or duplicates. The 250 memberships are
 * written directly to the table (as the accept transaction would write them): signing up, signing in
 * and accepting 250 people through cognito-local would spend minutes proving nothing more.
 */
class UserPaginationE2EIT {
    private final TestStack stack = TestStack.get();

    @Test
    void pagesOver250UsersWithoutLossOrDuplicates() {
        User owner = Orgs.newUser();
        String orgId = createOrg(owner, "Big Co");
        Set<String> expected = new HashSet<>();
        String now = Ids.at(Instant.now());
        for (int i = 0; i < 250; i++) {
            String userId = UUID.randomUUID().toString();
            expected.add(userId);
            var key = Keys.membership(orgId, userId);
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(Keys.PK, AttributeValue.fromS(key.pk()));
            item.put(Keys.SK, AttributeValue.fromS(key.sk()));
            item.put(Keys.TYPE, AttributeValue.fromS("MEMBERSHIP"));
            item.put("orgId", AttributeValue.fromS(orgId));
            item.put("userId", AttributeValue.fromS(userId));
            item.put("email", AttributeValue.fromS("bulk-" + i + "@example.com"));
            item.put("role", AttributeValue.fromS(i % 10 == 0 ? "ADMIN" : "USER"));
            item.put("status", AttributeValue.fromS("ACTIVE"));
            item.put("teams", AttributeValue.fromM(Map.of()));
            item.put("joinedAt", AttributeValue.fromS(now));
            item.put("updatedAt", AttributeValue.fromS(now));
            item.put("version", AttributeValue.fromN("1"));
            item.put(Keys.GSI1PK, AttributeValue.fromS(Keys.userIndex(userId)));
            item.put(Keys.GSI1SK, AttributeValue.fromS(Keys.org(orgId)));
            stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(item));
        }
        expected.add(Orgs.userId(owner));

        for (int limit : new int[] {100, 7, 25}) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response page = stack.get("/v1/organizations/" + orgId + "/users?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor), owner.idToken());
                assertEquals(200, page.status(), page.body());
                JsonNode items = page.json().path("items");
                assertTrue(items.size() <= limit);
                items.forEach(m -> seen.add(m.path("userId").asText()));
                cursor = page.json().path("nextCursor").asText(null);
                pages++;
                assertTrue(cursor == null || items.size() == limit, "only the last page is short");
            } while (cursor != null);
            assertEquals(251, seen.size(), "limit " + limit);
            assertEquals(expected, new HashSet<>(seen), "limit " + limit);
            assertEquals((251 + limit - 1) / limit, pages, "limit " + limit);
        }
    }
}
