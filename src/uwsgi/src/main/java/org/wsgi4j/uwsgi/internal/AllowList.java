package org.wsgi4j.uwsgi.internal;

import java.net.InetAddress;
import java.util.List;
import org.wsgi4j.server.AddressBlocks;

/**
 * The CIDR blocks whose TCP peers may talk uwsgi to us. A uwsgi peer is trusted completely (it
 * states REMOTE_ADDR and HTTPS itself), so only the proxies should be listed.
 */
public final class AllowList {

    private final AddressBlocks blocks;

    private AllowList(AddressBlocks blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses entries such as {@code 127.0.0.0/8}, {@code ::1} or {@code 10.0.0.7}; only literal
     * addresses are accepted (no name lookups).
     *
     * @throws IllegalArgumentException naming the entry that is not an address or CIDR block
     */
    public static AllowList parse(List<String> entries) {
        try {
            return new AllowList(AddressBlocks.parse(entries));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("allow entry " + e.getMessage(), e);
        }
    }

    /** Whether {@code peer} may connect; IPv4-mapped IPv6 peers are checked as IPv4. */
    public boolean allows(InetAddress peer) {
        return blocks.contains(peer);
    }
}
