import json,re,sys
stale=set(json.loads(sys.argv[1]))
p='/work/main/infra/wiring.ts'
s=open(p).read()
# entries of the form { handler: 'x', ..., needs: ['publish-events'] } possibly multi-line
def fix(m):
    block=m.group(0)
    h=re.search(r"handler: '([^']+)'",block).group(1)
    if h not in stale: return block
    block=re.sub(r",\s*needs: \['publish-events'\]", "", block)
    block=re.sub(r"needs: \['publish-events', 'send-email'\]", "needs: ['send-email']", block)
    return block
s=re.sub(r"\{[^{}]*handler: '[^']+'[^{}]*\}", fix, s)
open(p,'w').write(s)
