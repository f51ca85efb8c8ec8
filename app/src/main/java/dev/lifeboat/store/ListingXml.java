package dev.lifeboat.store;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two documents {@link S3Listing} reads, with StAX (no DTDs, no external entities): a
 * ListBucketResult page, and an S3 error document.
 */
final class ListingXml {
    private static final XMLInputFactory XML = xmlFactory();

    private ListingXml() {}

    /** {code, message} of an S3 error document. */
    static String[] parseError(byte[] body) throws XMLStreamException {
        String code = "";
        String message = "";
        XMLStreamReader x = XML.createXMLStreamReader(new java.io.ByteArrayInputStream(body));
        try {
            int depth = 0;
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2 && x.getLocalName().equals("Code")) {
                        code = x.getElementText().strip();
                        depth--;
                    } else if (depth == 2 && x.getLocalName().equals("Message")) {
                        message = x.getElementText().strip();
                        depth--;
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } finally {
            x.close();
        }
        return new String[] {code, message};
    }

    /**
     * The root element's name (under the key "") and the text of each child of the root that holds
     * only text (the first of each name): an InitiateMultipartUploadResult's UploadId, a
     * CompleteMultipartUploadResult's ETag, an Error's Code and Message.
     */
    static Map<String, String> topLevel(byte[] body) throws XMLStreamException {
        Map<String, String> out = new java.util.HashMap<>();
        XMLStreamReader x = XML.createXMLStreamReader(new java.io.ByteArrayInputStream(body));
        try {
            int depth = 0;
            StringBuilder text = null; // the text of the current child of the root, null inside anything deeper
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 1) out.put("", x.getLocalName());
                    text = depth == 2 ? new StringBuilder() : null;
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    if (text != null) text.append(x.getText());
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (depth == 2 && text != null) out.putIfAbsent(x.getLocalName(), text.toString().strip());
                    text = null;
                    depth--;
                }
            }
        } finally {
            x.close();
        }
        return out;
    }

    /** A ListBucketResult: Contents (Key, Size, ETag, LastModified), CommonPrefixes, IsTruncated, NextContinuationToken, EncodingType. */
    static S3Listing.Page parse(InputStream in) throws IOException {
        List<String[]> contents = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean truncated = false;
        boolean urlEncoded = false;
        String next = null;
        boolean listed = false;
        try {
            XMLStreamReader x = XML.createXMLStreamReader(in);
            try {
                String[] entry = null;
                boolean inPrefixes = false;
                int depth = 0;
                while (x.hasNext()) {
                    int ev = x.next();
                    if (ev == XMLStreamConstants.START_ELEMENT && depth == 0 && !x.getLocalName().equals("ListBucketResult")) {
                        throw new IOException("the store answered a listing with <" + x.getLocalName() + ">, not a ListBucketResult");
                    }
                    if (ev == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                        if (depth == 1 && x.getLocalName().equals("Contents")) {
                            contents.add(entry);
                            entry = null;
                        } else if (depth == 1) {
                            inPrefixes = false;
                        }
                        continue;
                    }
                    if (ev != XMLStreamConstants.START_ELEMENT) continue;
                    depth++;
                    listed = true;
                    String name = x.getLocalName();
                    if (depth == 2) {
                        switch (name) {
                            case "Contents" -> entry = new String[4];
                            case "CommonPrefixes" -> inPrefixes = true;
                            case "IsTruncated" -> {
                                truncated = "true".equalsIgnoreCase(x.getElementText().strip());
                                depth--;
                            }
                            case "NextContinuationToken" -> {
                                next = x.getElementText();
                                depth--;
                            }
                            case "EncodingType" -> {
                                urlEncoded = "url".equalsIgnoreCase(x.getElementText().strip());
                                depth--;
                            }
                            default -> { }
                        }
                    } else if (depth == 3 && entry != null) {
                        int i = switch (name) {
                            case "Key" -> 0;
                            case "Size" -> 1;
                            case "ETag" -> 2;
                            case "LastModified" -> 3;
                            default -> -1;
                        };
                        if (i >= 0) {
                            entry[i] = x.getElementText();
                            depth--;
                        }
                    } else if (depth == 3 && inPrefixes && name.equals("Prefix")) {
                        prefixes.add(x.getElementText());
                        depth--;
                    }
                }
            } finally {
                x.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException("unreadable listing from the store: " + e.getMessage(), e);
        }
        if (!listed) throw new IOException("the store answered a listing with no ListBucketResult");
        List<S3Listing.Entry> entries = new ArrayList<>(contents.size());
        for (String[] e : contents) entries.add(entry(e, urlEncoded));
        if (urlEncoded) prefixes.replaceAll(ListingXml::decode);
        if (truncated && (next == null || next.isEmpty())) {
            throw new IOException("the store said the listing goes on but gave no continuation token");
        }
        return new S3Listing.Page(entries, prefixes, truncated ? next : null);
    }

    private static S3Listing.Entry entry(String[] e, boolean urlEncoded) throws IOException {
        if (e[0] == null || e[1] == null) throw new IOException("a listing entry without Key or Size");
        try {
            String key = urlEncoded ? decode(e[0]) : e[0];
            Instant modified = e[3] == null ? null : Instant.parse(e[3].strip());
            return new S3Listing.Entry(key, Long.parseLong(e[1].strip()), S3Store.unquote(e[2] == null ? null : e[2].strip()), modified);
        } catch (NumberFormatException | DateTimeParseException ex) {
            throw new IOException("a listing entry that does not parse (" + ex.getMessage() + ")", ex);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static XMLInputFactory xmlFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
