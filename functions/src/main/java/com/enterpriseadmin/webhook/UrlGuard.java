package com.enterpriseadmin.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which endpoint URLs may be called (docs/webhooks.md, "SSRF"). Always: an absolute {@code https} URL with a host,
 * no user info, no fragment, at most 2048 characters. When {@code publicOnly} (the {@code prod} stage), every address
 * the host resolves to must be a public unicast address: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16 — the instance metadata service —, fe80::/10), carrier-grade NAT (100.64/10), unspecified,
 * multicast and IPv4-mapped forms of those are refused. Checked at registration AND before every delivery (a name
 * can be re-pointed after registration: DNS rebinding). Otherwise (every other stage) {@code http} is also allowed
 * for the loopback hosts {@code 127.0.0.1} and {@code localhost}, so a local receiver can be used. Hosts are names
 * ({@link #SHAPE}): an address literal is refused everywhere.
 */
public final class UrlGuard {

    /** Resolves a host name to its addresses; injectable so that tests decide what a name resolves to. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    private static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "localhost");

    /**
     * The shape every URL must have (api/openapi.yaml states the same pattern): https to a host NAME (an address literal
     * has no certificate to check, and would skip the resolution), or http to 127.0.0.1 / localhost; a port; a path and a
     * query of URI characters without escapes.
     */
    static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile(
            "^(?:https://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "|http://(?:127\\.0\\.0\\.1|localhost))(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?"
                    + "(?:\\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$");

    private final boolean publicOnly;
    private final Resolver resolver;

    public UrlGuard(boolean publicOnly, Resolver resolver) {
        this.publicOnly = publicOnly;
        this.resolver = resolver;
    }

    public boolean publicOnly() {
        return publicOnly;
    }

    /** Why {@code url} may not be registered, or empty when it may. */
    public Optional<String> refusal(String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            return Optional.of("the url must be an absolute https URL of at most 2048 characters");
        }
        if (!SHAPE.matcher(url).matches()) {
            return Optional.of("the url must be https://<host name>[:port][/path][?query] (outside the prod stage also http://127.0.0.1 or "
                    + "http://localhost), in plain URI characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("the url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || host.isBlank()) {
            return Optional.of("the url must be absolute, with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("the url must not carry user info or a fragment");
        }
        boolean loopbackHttp = !publicOnly && scheme.equals("http") && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !loopbackHttp) {
            return Optional.of(publicOnly ? "the url must use https" : "the url must use https (http only for 127.0.0.1 or localhost)");
        }
        return publicOnly ? addressRefusal(host) : Optional.empty();
    }

    /** Before a delivery: the same rules, with a fresh resolution of the host. */
    public Optional<String> refusalAtDelivery(String url) {
        return refusal(url);
    }

    private Optional<String> addressRefusal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return Optional.of("the url's host does not resolve");
        }
        if (addresses.isEmpty()) {
            return Optional.of("the url's host does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                return Optional.of("the url's host resolves to a private, loopback or link-local address");
            }
        }
        return Optional.empty();
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                  // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && first < 240;                             // reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
