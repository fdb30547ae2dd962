package com.enterpriseadmin.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The delivery signature, the SSRF guard (resolver injected: what a name resolves to is the test's choice) and the backoff. */
class SignatureAndGuardTest {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static UrlGuard prod(Map<String, List<String>> dns) {
        return new UrlGuard(true, host -> {
            List<String> answer = dns.get(host);
            if (answer == null) throw new UnknownHostException(host);
            return answer.stream().map(SignatureAndGuardTest::ip).toList();
        });
    }

    @Test
    void aSignatureVerifiesOnlyForTheSameSecretBodyAndARecentTime() {
        String secret = Signature.newSecret();
        String body = "{\"id\":\"evt_1\",\"type\":\"member.added\"}";
        String header = Signature.header(secret, 1_764_410_400L, body);
        assertTrue(header.matches("t=1764410400,v1=[0-9a-f]{64}"), header);
        assertTrue(Signature.verify(secret, header, body, 1_764_410_400L + 60, 300));
        assertFalse(Signature.verify(secret, header, body + " ", 1_764_410_400L, 300), "another body");
        assertFalse(Signature.verify(Signature.newSecret(), header, body, 1_764_410_400L, 300), "another secret");
        assertFalse(Signature.verify(secret, header, body, 1_764_410_400L + 301, 300), "too old: a replay");
        assertFalse(Signature.verify(secret, header.replace("t=1764410400", "t=1764410500"), body, 1_764_410_500L, 300), "a moved timestamp");
        assertFalse(Signature.verify(secret, null, body, 1_764_410_400L, 300));
        assertTrue(secret.startsWith("whsec_") && secret.length() > 40);
    }

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBody() {
        // Known answer, computed outside Java: python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test",b"1.{}",hashlib.sha256).hexdigest())'
        assertEquals("t=1,v1=7500d5d4be4b3ef07af1fe56f7d522d135cdaa7530de557e67cc1049c52de094", Signature.header("whsec_test", 1, "{}"));
    }

    @Test
    void inProdOnlyHttpsUrlsResolvingToPublicAddressesAreAllowed() {
        UrlGuard guard = prod(Map.of(
                "hooks.example.com", List.of("93.184.216.34"),
                "internal.example.com", List.of("10.0.0.12"),
                "metadata.example.com", List.of("169.254.169.254"),
                "loop.example.com", List.of("127.0.0.1"),
                "mixed.example.com", List.of("93.184.216.34", "192.168.1.10"),
                "cgnat.example.com", List.of("100.64.0.1"),
                "v6local.example.com", List.of("fd00::1"),
                "mapped.example.com", List.of("::ffff:10.0.0.1"),
                "v6ll.example.com", List.of("fe80::1")));
        assertEquals(Optional.empty(), guard.refusal("https://hooks.example.com/in"));
        for (String host : List.of("internal", "metadata", "loop", "mixed", "cgnat", "v6local", "mapped", "v6ll")) {
            assertTrue(guard.refusal("https://" + host + ".example.com/in").isPresent(), host);
        }
        assertTrue(guard.refusal("https://127.0.0.1/in").isPresent(), "a literal loopback address");
        assertTrue(guard.refusal("https://[::1]/in").isPresent());
        assertTrue(guard.refusal("https://169.254.169.254/latest/meta-data").isPresent());
        assertTrue(guard.refusal("http://hooks.example.com/in").isPresent(), "https only");
        assertTrue(guard.refusal("http://127.0.0.1:8080/in").isPresent(), "no local http in prod");
        assertTrue(guard.refusal("https://nowhere.example.com/in").isPresent(), "a name that does not resolve");
        assertTrue(guard.refusal("https://user:pw@hooks.example.com/in").isPresent());
        assertTrue(guard.refusal("ftp://hooks.example.com/in").isPresent());
        assertTrue(guard.refusal("/relative").isPresent());
        assertTrue(guard.refusal("https://hooks.example.com/" + "a".repeat(2048)).isPresent());
    }

    @Test
    void aNameReboundToAPrivateAddressAfterRegistrationIsRefusedAtDelivery() {
        Map<String, List<String>> dns = new java.util.HashMap<>(Map.of("hooks.example.com", List.of("93.184.216.34")));
        UrlGuard guard = prod(dns);
        assertEquals(Optional.empty(), guard.refusal("https://hooks.example.com/in"));
        dns.put("hooks.example.com", List.of("10.1.2.3"));
        assertTrue(guard.refusalAtDelivery("https://hooks.example.com/in").isPresent());
    }

    @Test
    void outsideProdALocalHttpReceiverIsAllowedButOtherHttpIsNot() {
        UrlGuard guard = new UrlGuard(false, host -> { throw new AssertionError("no lookups outside prod"); });
        assertEquals(Optional.empty(), guard.refusal("http://127.0.0.1:8080/hook"));
        assertEquals(Optional.empty(), guard.refusal("http://localhost:8080/hook"));
        assertEquals(Optional.empty(), guard.refusal("https://hooks.example.com/in"));
        assertTrue(guard.refusal("http://hooks.example.com/in").isPresent());
        assertTrue(guard.refusal("http://10.0.0.1/in").isPresent());
        assertTrue(guard.refusal("https://10.0.0.1/in").isPresent(), "an address literal is refused everywhere");
        assertEquals(Optional.empty(), guard.refusal("https://hooks.example.com:8443/in/a-b_c?token=x&y=1"));
        assertTrue(guard.refusal("https://hooks.example.com/in%2F").isPresent(), "no escapes");
        assertTrue(guard.refusal("https://hooks.example.com/in#frag").isPresent());
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(3));
        assertEquals(List.of(30L, 60L, 120L, 240L, 480L, 960L, 1920L, 3600L, 3600L),
                java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(n -> p.delayAfter(n).toSeconds()).toList());
        // 24 h of it: the attempts a failing delivery gets before it is dead-lettered.
        long t = 0;
        int attempts = 1;
        while (t + p.delayAfter(attempts).toSeconds() <= 86_400) {
            t += p.delayAfter(attempts).toSeconds();
            attempts++;
        }
        assertEquals(30, attempts);
    }
}
