package com.enterpriseadmin.config;

import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.signup.SignUpPolicy;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.user.Me;
import com.enterpriseadmin.user.ProfileStore;
import com.enterpriseadmin.user.Profiles;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The composition root: built once per JVM (Lambda INIT) from {@link Config#fromEnv()}. Handlers'
 * no-arg constructors take their collaborators from here; tests use the handlers' package-private
 * constructors instead. Clients are created lazily so that a function only pays for what it uses.
 * No DI framework, no reflection.
 */
public final class Wiring {
    private static final class Holder {
        static final Wiring INSTANCE = new Wiring(Config.fromEnv(), Clock.systemUTC());
    }

    private final Config config;
    private final Clock clock;
    private final Json json = new Json();
    private final Supplier<DynamoDbClient> dynamo;
    private final Supplier<CognitoIdentityProviderClient> cognito;
    private final Supplier<Db> db;

    private Wiring(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.dynamo = memoize(() -> DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build());
        this.cognito = memoize(() -> CognitoIdentityProviderClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build());
        this.db = memoize(() -> new Db(dynamo.get(), config.tableName()));
    }

    public static Wiring get() {
        return Holder.INSTANCE;
    }

    public Config config() { return config; }

    public Clock clock() { return clock; }

    public Json json() { return json; }

    public Db db() { return db.get(); }

    public CognitoIdentityProviderClient cognito() { return cognito.get(); }

    public SignUpPolicy signUpPolicy() { return new SignUpPolicy(config.allowedEmailDomains()); }

    public Profiles profiles() { return new Profiles(new ProfileStore(db()), clock); }

    public Me me() { return new Me(profiles()); }

    static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = supplier.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }
}
