package dev.warden.receipts;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;

/**
 * A map of strings in canonical (natural {@link String}) order that nothing can change, read through without a
 * copy: what the encoder walks, as it is, for a receipt's summary and obligations.
 */
abstract class SortedView extends AbstractMap<String, String> {
    private final SortedMap<String, String> entries;

    SortedView(SortedMap<String, String> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public String get(Object key) {
        return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public int size() {
        return entries.size();
    }
}
