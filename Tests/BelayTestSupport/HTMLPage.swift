/// Checks on Belay's HTML pages shared by the test targets.
public enum HTMLPage {
    /// A strict well-formedness check with Python's `html.parser`: every non-void element closed in order, no
    /// stray end tags, and (for hostile input) no `<script>` element, event handler or external URL at all. Prints
    /// `ok` and the element counts, or the first problems.
    public static let wellFormednessScript = """
        import sys
        from html.parser import HTMLParser
        VOID = {'area','base','br','col','embed','hr','img','input','link','meta','source','track','wbr'}
        class P(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True); self.stack = []; self.problems = []; self.tags = {}
            def handle_starttag(self, tag, attrs):
                self.tags[tag] = self.tags.get(tag, 0) + 1
                if tag == 'script': self.problems.append('script element')
                for k, v in attrs:
                    if k.startswith('on'): self.problems.append('event handler ' + k)
                    if k in ('src', 'href') and v and ('://' in v or v.startswith('//')): self.problems.append('external ' + v)
                if tag not in VOID: self.stack.append(tag)
            def handle_startendtag(self, tag, attrs):
                self.tags[tag] = self.tags.get(tag, 0) + 1
            def handle_endtag(self, tag):
                if not self.stack or self.stack[-1] != tag:
                    self.problems.append('unexpected </%s> (open: %s)' % (tag, self.stack[-3:]))
                else: self.stack.pop()
        p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); p.close()
        if p.stack: p.problems.append('unclosed: %s' % p.stack)
        print('ok ' + ' '.join('%s=%d' % kv for kv in sorted(p.tags.items())) if not p.problems else '; '.join(p.problems[:5]))
        """
}
