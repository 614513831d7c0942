/** Lives only in us-west-2, so calls signed for another region get ResourceNotFoundException. */
export const handler = async () => ({ region: process.env.AWS_REGION });
