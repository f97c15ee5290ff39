package aiops.ingest.streams;

import java.util.ArrayList;
import java.util.List;

/** What the deduplicator remembers about one fingerprint (JSON in its state store). */
public final class DedupState {
    public String status;
    public long firstSeen;
    public long lastSeen;
    public long lastEmitted;
    public int absorbed;
    public List<Long> flips = new ArrayList<>();
    /** Wall-clock time this fingerprint was last seen; {@link DedupExpiry} forgets it a retention later. */
    public long touchedAt;
}
