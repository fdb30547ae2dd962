package com.enterpriseadmin.user;

import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** User profiles: {@code USER#{userId} / PROFILE}, indexed by e-mail on GSI1. */
public final class ProfileStore {
    static final String TYPE = "USER";
    private final Db db;

    public ProfileStore(Db db) {
        this.db = db;
    }

    public Optional<UserProfile> get(String userId) {
        return db.get(Keys.userProfile(userId)).map(ProfileStore::fromItem);
    }

    /** Creates the profile unless one exists; true if this call created it. Safe to repeat. */
    public boolean createIfAbsent(UserProfile profile) {
        Tx write = db.write();
        write.put(toItem(profile)).ifAbsent().label("profile").add();
        return write.commit().committed();
    }

    static Map<String, AttributeValue> toItem(UserProfile p) {
        Key key = Keys.userProfile(p.userId());
        return Item.of(key, TYPE)
                .s("userId", p.userId())
                .s("email", p.email())
                .s("name", p.name())
                .time("createdAt", p.createdAt())
                .s(Keys.GSI1PK, Keys.emailIndex(p.email()))
                .s(Keys.GSI1SK, "USER")
                .build();
    }

    static UserProfile fromItem(Map<String, AttributeValue> item) {
        return new UserProfile(Item.str(item, "userId"), Item.str(item, "email"), Item.str(item, "name"), Item.time(item, "createdAt"));
    }
}
