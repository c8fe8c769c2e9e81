import http from "node:http";

const port = Number(process.env.PORT ?? {{port}});
const server = http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ service: "{{name}}", path: req.url }));
});
server.listen(port);
