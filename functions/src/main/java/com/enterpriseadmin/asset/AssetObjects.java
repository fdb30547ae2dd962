package com.enterpriseadmin.asset;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

/** The asset files in the bucket, as the use cases need them (S3 in {@link S3AssetObjects}; a map in the unit tests). */
public interface AssetObjects {

    /** A presigned POST: where to post and the form fields to post with the file. */
    record UploadForm(URI url, Map<String, String> fields, Instant expiresAt) {}

    /** The presigned POST of one object: exact key and content type, at most {@code maxBytes}, until {@code now + ttl}. */
    UploadForm uploadForm(String key, String contentType, long maxBytes, Instant now, Duration ttl);

    /** A presigned GET of the object, valid for {@code ttl}, answered as an attachment named {@code fileName}. */
    URI downloadUrl(String key, String contentType, String fileName, Duration ttl);

    /** The stored size of the object, or empty when there is none. */
    OptionalLong size(String key);

    /** The first {@code n} bytes of the object (fewer if it is shorter): a ranged read, never the whole file. */
    byte[] firstBytes(String key, int n);

    /** Hides the object (a delete marker in the versioned bucket; the lifecycle rule removes the data after 30 days). */
    void hide(String key);

    /** Removes the delete marker {@link #hide} left, so the object is current again; false if the data is gone. */
    boolean unhide(String key);

    /** Removes every version of the object now (a rejected or abandoned upload). */
    void purge(String key);
}
