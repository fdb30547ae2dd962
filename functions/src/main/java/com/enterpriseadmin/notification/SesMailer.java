package com.enterpriseadmin.notification;

import java.util.Optional;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** {@link Mailer} through SES v2 {@code SendEmail}: the configured sender and, if any, configuration set. */
public final class SesMailer implements Mailer {
    private final SesV2Client ses;
    private final String sender;
    private final Optional<String> configurationSet;

    public SesMailer(SesV2Client ses, String sender, Optional<String> configurationSet) {
        this.ses = ses;
        this.sender = sender;
        this.configurationSet = configurationSet;
    }

    @Override
    public void send(Email email) {
        ses.sendEmail(b -> b.fromEmailAddress(sender)
                .destination(d -> d.toAddresses(email.to()))
                .configurationSetName(configurationSet.orElse(null))
                .content(c -> c.simple(m -> m
                        .subject(s -> s.data(email.subject()).charset("UTF-8"))
                        .body(body -> body.text(t -> t.data(email.text()).charset("UTF-8")).html(h -> h.data(email.html()).charset("UTF-8"))))));
    }
}
