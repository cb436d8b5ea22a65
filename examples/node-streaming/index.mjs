// A Node.js function that streams its answer, as AWS's awslambda.streamifyResponse does. Handler: index.handler
// ./thunk invoke hello-stream '{"name":"Ada"}' --stream prints the pieces as they arrive; a plain invoke gets them
// all at once.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const name = event?.name ?? 'world';
  console.log(`streaming a greeting to ${name}`);
  responseStream.setContentType('text/plain');
  for (const piece of ['Hello, ', `${name}, `, 'from a stream!']) {
    responseStream.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  responseStream.end();
});
