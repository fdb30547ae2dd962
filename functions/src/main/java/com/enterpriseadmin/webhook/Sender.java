package com.enterpriseadmin.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** POSTs one delivery. The JDK HttpClient: short timeouts, no redirects (a redirect is a failed attempt, never followed). */
public interface Sender {

    /** What one POST gave: the status (0 when none came back) and a short reason when it failed. */
    record Result(int statusCode, String error) {}

    Result post(URI url, Map<String, String> headers, String body);

    static Sender http(Duration connectTimeout, Duration requestTimeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        return (url, headers, body) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                return new Result(status, status >= 200 && status < 300 ? null : "http-" + status);
            } catch (java.net.http.HttpTimeoutException e) {
                return new Result(0, "timeout");
            } catch (java.io.IOException e) {
                return new Result(0, "connection-failed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(0, "interrupted");
            }
        };
    }
}
