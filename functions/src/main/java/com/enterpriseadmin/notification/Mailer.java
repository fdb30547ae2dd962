package com.enterpriseadmin.notification;

/** Sends an e-mail (SES v2 {@code SendEmail}: {@link SesMailer}); throws when it was not accepted. */
public interface Mailer {
    void send(Email email);
}
