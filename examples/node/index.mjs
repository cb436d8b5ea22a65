// A hello function for Thunk's nodejs runtimes. Handler: index.handler
export const handler = async (event) => {
  const name = event?.name ?? 'world';
  console.log(`greeting ${name}`); // goes to the function's log: ./thunk logs hello-node
  return `Hello, ${name}, from Node.js!`;
};
