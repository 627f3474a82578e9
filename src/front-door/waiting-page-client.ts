/**
 * The waiting page's inline script and its proof-of-work Web Worker, as plain ES5 strings (no
 * build step, no framework). The page's data travel in data-* attributes, so the script itself is
 * constant and allowed by a CSP hash. `ahead`, `band`, `fa` and `fw` mirror aheadOf and waitBand
 * (room-state.ts) and formatAhead/formatWait (waiting-page.ts); waiting-page.test.ts checks that
 * they agree.
 */

/** Mirrors of the server's arithmetic and wording (shared by the script and the tests). */
export const CLIENT_FUNCTIONS = `
function ahead(l,t){if(t<=l.f)return 0;var x=t-l.f,pd=0,pc=0,h=l.h;for(var i=0;i<h.length;i++){var d=h[i][0],c=h[i][1];if(x<=d){var s=d-pd||1;return Math.max(0,Math.floor(pc+(c-pc)*(x-pd)/s))}pd=d;pc=c}return pc}
function band(a,r,sd,poll,pp){var p=Math.max(r,0.01),k=Math.max(p,pp===undefined?r:pp),z=1.2816*Math.max(sd,0),q=Math.sqrt(z*z+4*p*a),qk=Math.sqrt(z*z+4*k*a),f=Math.pow((qk-z)/(2*k),2),s=Math.pow((q+z)/(2*p),2),lo=Math.min(f,a*0.65/(k*1.15)),hi=Math.max(s,(a+1)/(p*0.85))+1+poll/1000;return[Math.max(0,Math.floor(lo)),Math.ceil(hi)]}
function num(n,fr){return String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g,fr?'\\u202f':',')}
function fa(n,fr){if(n<=0)return fr?'Personne devant vous':'Nobody ahead of you';if(n===1)return fr?'1 personne devant vous':'1 person ahead of you';return num(n,fr)+(fr?' personnes devant vous':' people ahead of you')}
function fw(b,fr){var lo=b[0],hi=b[1],u;if(hi<=90){lo=Math.floor(lo/5)*5;hi=Math.max(lo+5,Math.ceil(hi/5)*5);u=fr?'secondes':'seconds'}else{lo=Math.floor(lo/60);hi=Math.max(lo+1,Math.ceil(hi/60));u=fr?'minutes':'minutes'}return fr?'Attente estim\\u00e9e\\u00a0: entre '+num(lo,fr)+' et '+num(hi,fr)+' '+u:'Estimated wait: between '+num(lo,fr)+' and '+num(hi,fr)+' '+u}
`;

/**
 * The Web Worker: SHA-256 in plain JS, written for speed (typed arrays, no allocation per try,
 * the challenge's full blocks hashed once, the decimal counter incremented in place, so a try is
 * one compression for our ~100-character challenges). All state is local to a closure: globals
 * are slow to reach in some engines.
 */
export const POW_WORKER_SOURCE = `(function(){var K=new Int32Array(64),I=new Int32Array(8),W=new Int32Array(64);
(function(){var n=2,c=0;while(c<64){for(var d=2,p=1;d*d<=n;d++)if(n%d===0){p=0;break}if(p){if(c<8)I[c]=Math.pow(n,.5)*4294967296|0;K[c++]=Math.pow(n,1/3)*4294967296|0}n++}})();
function C(H,B,o){var i,a,b,t,u;for(i=0;i<16;i++,o+=4)W[i]=B[o]<<24|B[o+1]<<16|B[o+2]<<8|B[o+3];
for(i=16;i<64;i++){a=W[i-15];b=W[i-2];W[i]=((a>>>7|a<<25)^(a>>>18|a<<14)^a>>>3)+W[i-16]+((b>>>17|b<<15)^(b>>>19|b<<13)^b>>>10)+W[i-7]|0}
var A=H[0],B1=H[1],c=H[2],d=H[3],e=H[4],f=H[5],g=H[6],h=H[7];for(i=0;i<64;i++){t=h+((e>>>6|e<<26)^(e>>>11|e<<21)^(e>>>25|e<<7))+(e&f^~e&g)+K[i]+W[i]|0;u=((A>>>2|A<<30)^(A>>>13|A<<19)^(A>>>22|A<<10))+(A&B1^A&c^B1&c)|0;h=g;g=f;f=e;e=d+t|0;d=c;c=B1;B1=A;A=t+u|0}
H[0]=H[0]+A|0;H[1]=H[1]+B1|0;H[2]=H[2]+c|0;H[3]=H[3]+d|0;H[4]=H[4]+e|0;H[5]=H[5]+f|0;H[6]=H[6]+g|0;H[7]=H[7]+h|0}
function lz(H){for(var j=0,z=0;j<8;j++){if(H[j]!==0)return z+Math.clz32(H[j]);z+=32}return z}
onmessage=function(ev){var s=ev.data.c,bits=ev.data.b,len=s.length,X=new Uint8Array(len),M=new Int32Array(I),H=new Int32Array(8),T=new Uint8Array(192),D=[0],nd=0,end=0,i,n,full=len>>6,r;
for(i=0;i<len;i++)X[i]=s.charCodeAt(i)&255;for(i=0;i<full;i++)C(M,X,i*64);r=len-full*64;for(i=0;i<r;i++)T[i]=X[full*64+i];
for(n=0;;n++){if(D.length!==nd){nd=D.length;var m=r+nd,L=(len+nd)*8;end=(m+72)>>6<<6;T.fill(0,m);T[m]=128;T[end-4]=L>>>24&255;T[end-3]=L>>>16&255;T[end-2]=L>>>8&255;T[end-1]=L&255}
for(i=0;i<nd;i++)T[r+i]=48+D[i];H.set(M);for(i=0;i<end;i+=64)C(H,T,i);
if(lz(H)>=bits){postMessage({k:String(n)});return}if((n&16383)===0)postMessage({n:n});
for(i=nd-1;i>=0;i--){if(D[i]<9){D[i]++;break}D[i]=0}if(i<0)D.unshift(1)}}})();`;

/**
 * The page script: polls the state document on the server-set jittered schedule, updates the
 * live region, goes on to the destination once the frontier passes the ticket (or to renew it),
 * and in attack mode runs the worker with a progress bar, then redeems the solution.
 */
export const PAGE_SCRIPT = `(function(){${CLIENT_FUNCTIONS}
var m=document.getElementById('w'),D=m.dataset,fr=document.documentElement.lang==='fr',N=D.n,P=+D.p,J=+D.j,fail=0;
function go(){location.replace(N)}
function wait(){setTimeout(poll,P*Math.pow(2,Math.min(fail,4))*(1-J+2*J*Math.random()))}
function poll(){fetch(D.s).then(function(r){if(!r.ok)throw r;return r.json()}).then(function(s){fail=0;var l=s.lanes[D.l],T=+D.t;
if(!l||T<=l.f||+D.x-s.t<+D.h/2)return go();var a=ahead(l,T);P=s.pollMs||P;
document.getElementById('ah').textContent=fa(a,fr);document.getElementById('wt').textContent=fw(band(a,l.r,l.sd,P,l.p),fr);wait()})['catch'](function(){fail++;wait()})}
if(!D.c)return wait();
var pg=document.getElementById('pg'),E=Math.pow(2,+D.b),w=new Worker(URL.createObjectURL(new Blob([${JSON.stringify(POW_WORKER_SOURCE)}],{type:'text/javascript'})));
w.onmessage=function(e){if(e.data.k===undefined){pg.value=Math.min(0.95,1-Math.exp(-e.data.n/E));return}pg.value=1;
fetch(D.r,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({challenge:D.c,counter:e.data.k,next:N})})
.then(function(r){return r.json()}).then(function(j){location.replace(j.next||N)})['catch'](function(){location.reload()})};
w.postMessage({c:D.c,b:+D.b})})();`;
