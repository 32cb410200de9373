# tools/rewrite-refs.sed: rewrite citations of the project's former
# out-of-tree reference files into citations of doc/ in this repository.
# Section numbers are kept: doc/ numbers its sections as those files did.
# Run through tools/rewrite-refs (idempotent: the targets are lower case).
s#\(\.\./\)*shared/tools/check-capture#tools/check-capture#g
s#\(\.\./\)*\(shared/\)\{0,1\}\(reference/\)\{0,1\}PROTOCOL\.md#doc/protocol.md#g
s#\(\.\./\)*\(shared/\)\{0,1\}\(reference/\)\{0,1\}IOS-CLI\(\.md\)\{0,1\}#doc/ios-cli.md#g
s#\(\.\./\)*\(shared/\)\{0,1\}\(reference/\)\{0,1\}DESIGN\.md#doc/design.md#g
s#\(\.\./\)*\(shared/\)\{0,1\}\(reference/\)\{0,1\}XFRM\.md#doc/xfrm.md#g
s#\(\.\./\)*\(shared/\)\{0,1\}\(reference/\)\{0,1\}REKEY-COOP\(\.md\)\{0,1\}#doc/rekey-coop.md#g
s#\(\.\./\)*\(shared/\)\{0,1\}\(reference/\)\{0,1\}STYLE-ANCHORS\(\.md\)\{0,1\}#doc/style.md#g
s#\bPROTOCOL \(§[0-9]\)#doc/protocol.md \1#g
s#\bDESIGN \(§[0-9]\)#doc/design.md \1#g
s#\bXFRM \(§[0-9]\)#doc/xfrm.md \1#g
