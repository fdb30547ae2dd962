package com.enterpriseadmin.it.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.credit.LedgerSeed;
import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.credit.CreditFixture.Org;
import com.enterpriseadmin.it.credit.CreditFixture.Person;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The administrator's reports end to end: organization-wide usage, CSV exports of the ledger, the audit log and
 * usage (a 3,000-entry ledger parsed back with commons-csv; the cut into parts: CsvExportTest), audit filters, actors' e-mails.
 */
class AdminReportsE2EIT {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private final CreditFixture fx = new CreditFixture();
    private final TestStack stack = fx.stack;

    private TestStack.Response get(String path, String token, String accept) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + token));
        if (accept != null) {
            headers.put("Accept", accept);
        }
        return fx.send("GET", path, headers, null);
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    /** Follows the export's {@code Link rel="next"} parts until the last; every row of every part. */
    private List<CSVRecord> export(String path, String token, int[] parts) throws IOException {
        List<CSVRecord> rows = new ArrayList<>();
        String next = path;
        while (next != null) {
            TestStack.Response r = get(next, token, "text/csv");
            assertEquals(200, r.status(), r.body());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/csv"), r.headers().map().toString());
            rows.addAll(parse(r.body()));
            parts[0]++;
            Optional<String> link = r.headers().firstValue("link");
            if (link.isPresent()) {
                Matcher m = NEXT.matcher(link.get());
                assertTrue(m.find(), link.get());
                next = m.group(1).substring(m.group(1).indexOf("/v1/"));
            } else {
                next = null;
            }
        }
        return rows;
    }

    @Test
    void organizationUsageGroupsByTeamMemberDayAndMonthWithNamesAndEmails() throws IOException {
        Org org = fx.org();
        CreditFixture.ok(fx.topUp(org, 1000), 201);
        String teamA = fx.team(org, Map.of("mode", "LIMITED", "limit", 500));
        String teamB = fx.team(org, Map.of("mode", "LIMITED", "limit", 500));
        Person m1 = fx.member(org, "USER");
        Person m2 = fx.member(org, "USER");
        fx.addToTeam(org, teamA, m1, "MEMBER");
        fx.addToTeam(org, teamB, m1, "MEMBER");
        fx.addToTeam(org, teamA, m2, "ADMIN");
        CreditFixture.ok(fx.consume(org, teamA, m1, 5, UUID.randomUUID().toString()), 201);
        CreditFixture.ok(fx.consume(org, teamB, m1, 7, UUID.randomUUID().toString()), 201);
        CreditFixture.ok(fx.consume(org, teamA, m2, 3, UUID.randomUUID().toString()), 201);
        String base = "/v1/organizations/" + org.orgId() + "/usage";

        JsonNode byTeam = CreditFixture.ok(get(base, org.owner().token(), null), 200);
        assertEquals("team", byTeam.path("groupBy").asText());
        assertEquals(15, byTeam.path("consumed").asLong());
        Map<String, Long> teams = new HashMap<>();
        byTeam.path("items").forEach(r -> {
            assertTrue(r.path("teamName").asText().startsWith("Team "), r.toString());
            teams.put(r.path("teamId").asText(), r.path("consumed").asLong());
        });
        assertEquals(Map.of(teamA, 8L, teamB, 7L), teams);

        JsonNode byMember = CreditFixture.ok(get(base + "?groupBy=member", org.owner().token(), null), 200);
        Map<String, Long> members = new HashMap<>();
        byMember.path("items").forEach(r -> members.put(r.path("teamId").asText() + "/" + r.path("email").asText(), r.path("consumed").asLong()));
        assertEquals(Map.of(teamA + "/" + m1.email(), 5L, teamB + "/" + m1.email(), 7L, teamA + "/" + m2.email(), 3L), members);

        // Paged: one row a page, three pages, the total on each.
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = base + "?groupBy=member&limit=1" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = CreditFixture.ok(get(path, org.owner().token(), null), 200);
            assertEquals(15, page.path("consumed").asLong());
            page.path("items").forEach(r -> assertTrue(seen.add(r.path("teamId").asText() + r.path("userId").asText()), "no row twice"));
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(3, seen.size());

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String range = "&from=" + today + "T00:00:00Z&to=" + today.plusDays(1) + "T00:00:00Z";
        JsonNode byDay = CreditFixture.ok(get(base + "?groupBy=day" + range, org.owner().token(), null), 200);
        assertEquals(1, byDay.path("items").size(), byDay.toString());
        assertEquals(today.toString(), byDay.path("items").get(0).path("period").asText());
        assertEquals(15, byDay.path("items").get(0).path("consumed").asLong());
        JsonNode byMonth = CreditFixture.ok(get(base + "?groupBy=month", org.owner().token(), null), 200);
        assertEquals(today.toString().substring(0, 7), byMonth.path("items").get(0).path("period").asText());
        assertEquals(15, byMonth.path("items").get(0).path("consumed").asLong());
        JsonNode yesterday = CreditFixture.ok(get(base + "?groupBy=team&from=" + today.minusDays(1) + "T00:00:00Z&to=" + today + "T00:00:00Z",
                org.owner().token(), null), 200);
        assertEquals(0, yesterday.path("consumed").asLong());
        JsonNode onlyB = CreditFixture.ok(get(base + "?teamId=" + teamB, org.owner().token(), null), 200);
        assertEquals(7, onlyB.path("consumed").asLong());

        List<CSVRecord> csv = parse(get(base + "?groupBy=member", org.owner().token(), "text/csv").body());
        assertEquals(3, csv.size());
        assertEquals(15, csv.stream().mapToLong(r -> Long.parseLong(r.get("consumed"))).sum());

        // Refusals: a team ADMIN who is no org admin, bad input, another organization's team.
        assertEquals(403, get(base, m2.token(), null).status());
        assertEquals(404, get(base, fx.person().token(), null).status());
        assertEquals(400, get(base + "?groupBy=week", org.owner().token(), null).status());
        assertEquals(400, get(base + "?from=" + today + "T01:00:00Z", org.owner().token(), null).status());
        assertEquals(400, get(base + "?cursor=bm90LW91cnM", org.owner().token(), null).status());
        Org other = fx.org();
        String foreign = fx.team(other, Map.of("mode", "LIMITED", "limit", 5));
        assertEquals("team-not-found", get(base + "?teamId=" + foreign, org.owner().token(), null).json().path("code").asText());
    }

    @Test
    void aThreeThousandEntryLedgerExportsAsValidCsvWithFormulasNeutralisedAndActorsEmails() throws IOException {
        Org org = fx.org();
        CreditFixture.ok(fx.topUp(org, 1000), 201);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 500));
        Person member = fx.member(org, "USER");
        fx.addToTeam(org, teamId, member, "MEMBER");
        String formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
        CreditFixture.ok(fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/consumptions", member.token(),
                UUID.randomUUID().toString(), "{\"amount\":4,\"description\":\"" + formula.replace("\"", "\\\"") + "\"}"), 201);
        CreditFixture.ok(fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/consumptions", member.token(),
                UUID.randomUUID().toString(), "{\"amount\":2,\"description\":\"line \\\"two\\\", three\"}"), 201);

        long seeding = System.nanoTime();
        LedgerSeed.consumptions(stack.dynamo(), stack.tableName, org.orgId(), teamId, member.userId(), 3_000, Instant.now().minusSeconds(7200));
        System.out.printf("seeded 3,000 ledger entries in %d ms%n", (System.nanoTime() - seeding) / 1_000_000);

        JsonNode page = CreditFixture.ok(get("/v1/organizations/" + org.orgId() + "/ledger?limit=3", org.owner().token(), null), 200);
        JsonNode newest = page.path("items").get(0);
        assertEquals(member.userId(), newest.path("actor").asText());
        assertEquals(member.email(), newest.path("actorEmail").asText());

        long exporting = System.nanoTime();
        int[] parts = {0};
        List<CSVRecord> rows = export("/v1/organizations/" + org.orgId() + "/ledger", org.owner().token(), parts);
        System.out.printf("exported %d ledger rows in %d part(s), %d ms%n", rows.size(), parts[0], (System.nanoTime() - exporting) / 1_000_000);
        assertEquals(3_003, rows.size(), "the top-up, two consumptions and 3,000 seeded entries, each once");
        Set<String> ids = new HashSet<>();
        rows.forEach(r -> assertTrue(ids.add(r.get("entryId")), "no entry twice across parts"));
        CSVRecord neutralised = rows.stream().filter(r -> r.get("description").contains("HYPERLINK")).findFirst().orElseThrow();
        assertEquals("'" + formula, neutralised.get("description"));
        assertEquals("4", neutralised.get("amount"));
        assertEquals(member.email(), neutralised.get("actorEmail"));
        assertTrue(rows.stream().anyMatch(r -> r.get("description").equals("line \"two\", three")), "quotes and commas survive");
        rows.forEach(r -> Long.parseLong(r.get("amount")));
        CSVRecord topUp = rows.stream().filter(r -> r.get("kind").equals("TOP_UP")).findFirst().orElseThrow();
        assertEquals(org.owner().email(), topUp.get("actorEmail"));

        // The team filter and a time range hold in the export too.
        List<CSVRecord> none = export("/v1/organizations/" + org.orgId() + "/ledger?to=2000-01-01T00:00:00Z", org.owner().token(), new int[1]);
        assertEquals(0, none.size());
        assertEquals(403, get("/v1/organizations/" + org.orgId() + "/ledger", member.token(), "text/csv").status());
    }

    @Test
    void theAuditLogFiltersByActorActionAndTargetAndCarriesTheActorsEmail() throws IOException {
        Org org = fx.org();
        Person admin = fx.member(org, "ADMIN");
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 50));
        CreditFixture.ok(stack.post("/v1/organizations/" + org.orgId() + "/teams", admin.token(),
                Map.of("name", "By admin " + UUID.randomUUID().toString().substring(0, 6), "budget", Map.of("mode", "LIMITED", "limit", 5))), 201);
        String base = "/v1/organizations/" + org.orgId() + "/audit-log";

        JsonNode created = CreditFixture.ok(get(base + "?action=team.created", org.owner().token(), null), 200);
        assertEquals(2, created.path("items").size(), created.toString());
        created.path("items").forEach(e -> assertEquals("team.created", e.path("action").asText()));

        JsonNode byAdmin = CreditFixture.ok(get(base + "?actor=" + admin.userId(), org.owner().token(), null), 200);
        assertFalse(byAdmin.path("items").isEmpty());
        byAdmin.path("items").forEach(e -> {
            assertEquals(admin.userId(), e.path("actor").asText());
            assertEquals(admin.email(), e.path("actorEmail").asText());
        });

        JsonNode aboutTeam = CreditFixture.ok(get(base + "?target=" + teamId + "&action=team.created&actor=" + org.owner().userId(),
                org.owner().token(), null), 200);
        assertEquals(1, aboutTeam.path("items").size(), aboutTeam.toString());
        assertEquals(teamId, aboutTeam.path("items").get(0).path("target").path("id").asText());

        List<CSVRecord> csv = export(base + "?action=team.created", org.owner().token(), new int[1]);
        assertEquals(2, csv.size());
        csv.forEach(r -> assertNotNull(r.get("after")));
        assertEquals(1, csv.stream().filter(r -> r.get("actorEmail").equals(admin.email())).count());
        assertEquals(400, get(base + "?actor=" + "x".repeat(300), org.owner().token(), null).status());
        assertEquals(0, CreditFixture.ok(get(base + "?action=%C2%9C", org.owner().token(), null), 200).path("items").size(), "any text filters");
    }
}
