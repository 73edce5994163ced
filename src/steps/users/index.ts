/** The users step (issue 18 item 2): its only entry from outside this folder (docs/architecture.md). */
export { addUser, disableUserByName, listUsers, signIn, type SignIn } from './users.js';
